/**
 * A self-signed certificate for 127.0.0.1/localhost (valid until 2126), made once with
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500 -subj /CN=localhost`,
 * so tests can run an HTTPS server that the client must refuse. Its key protects nothing.
 */
export const SELF_SIGNED_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgcM/Ay2ifcEZ5gmDF
ekbljXXt5MsOiQrB3/1H1hgy+bahRANCAASUmJpX2z4T/nuFAZWmJxxfSHaY7WyX
gwc5CXUk8A00BAF7uUQHNvatmaGzPCrX19l933iuE/Cg6C2GYlG+0rb/
-----END PRIVATE KEY-----`;

export const SELF_SIGNED_CERT = `-----BEGIN CERTIFICATE-----
MIIBmzCCAUGgAwIBAgIUd1baKERamCSFpe+l+5wVcLFHNXkwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyOTAxNTIxM1oYDzIxMjYxMTA1
MDE1MjEzWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAASUmJpX2z4T/nuFAZWmJxxfSHaY7WyXgwc5CXUk8A00BAF7uUQHNvat
maGzPCrX19l933iuE/Cg6C2GYlG+0rb/o28wbTAdBgNVHQ4EFgQUMq+2QxlIqMw/
P9UYwZiwUL4IMb4wHwYDVR0jBBgwFoAUMq+2QxlIqMw/P9UYwZiwUL4IMb4wDwYD
VR0TAQH/BAUwAwEB/zAaBgNVHREEEzARhwR/AAABgglsb2NhbGhvc3QwCgYIKoZI
zj0EAwIDSAAwRQIhAN9gxSCtFnWZlQ2WL/qIPmRqvKwnJWPebwUs4n+nXIo8AiAy
27k7UtntcfF9j5L6G/69JzYV2xc5hEtdWdHERidg1g==
-----END CERTIFICATE-----`;
