import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { panelTitle } from '../../src/core/viewer/panelTitle';

const ID = 'step-6f10b27d-1536-46e7-9b1f-ec8ea330f6c0';

describe('viewer tab titles', () => {
  it('name the short step ID and the model, so two tabs differ', () => {
    assert.equal(panelTitle(ID, 'gpt-4.1-mini'), 'step-6f10b27d… · gpt-4.1-mini');
    assert.notEqual(panelTitle(ID, 'gpt-4.1-mini'), panelTitle(ID, 'claude-sonnet-4-5'));
  });
  it('without a model, the short ID alone; a long model name is cut', () => {
    assert.equal(panelTitle(ID), 'step-6f10b27d…');
    const title = panelTitle(ID, 'a'.repeat(80));
    assert.ok(title.endsWith('…') && title.length < 50, title);
  });
});
