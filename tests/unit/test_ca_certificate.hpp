// A real self-signed CA certificate (EC P-256, CN "gantry test CA", valid until 2126), made with
// `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500`, for the
// tests of code that checks CA bundles before it uses them. Only its shape matters: nothing is signed
// with it, and its key was not kept.
#pragma once

namespace gantry::testing {

constexpr const char* kTestCaPem =
    "-----BEGIN CERTIFICATE-----\n"
    "MIIBiDCCAS+gAwIBAgIUHKZYGAEzdZpOrJXsL/Ju6aha8UAwCgYIKoZIzj0EAwIw\n"
    "GTEXMBUGA1UEAwwOZ2FudHJ5IHRlc3QgQ0EwIBcNMjYxMjAyMTMxNjMzWhgPMjEy\n"
    "NjExMDgxMzE2MzNaMBkxFzAVBgNVBAMMDmdhbnRyeSB0ZXN0IENBMFkwEwYHKoZI\n"
    "zj0CAQYIKoZIzj0DAQcDQgAEgE3/7qZY0Gk2gjALgMkKBuKS6a832NefelzIzP9L\n"
    "RVgbXgcM3PY/L9z6ufF6vhDvzVADmX8j8fRnDhlewqvF/qNTMFEwHQYDVR0OBBYE\n"
    "FHkAknk8YIy9sJJk3i3/Lne0HczKMB8GA1UdIwQYMBaAFHkAknk8YIy9sJJk3i3/\n"
    "Lne0HczKMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwIDRwAwRAIgOopKYV07\n"
    "WXf0vSREhr5+CY9ut+0tPAW4LmvFLBXqmrQCIBqD3aZjq6zsIpVlooezmKifGbPA\n"
    "F9dc3ctYrBKT4sdR\n"
    "-----END CERTIFICATE-----\n"
    ;

// kTestCaPem, base64-encoded (as kubeconfig's certificate-authority-data carries it).
constexpr const char* kTestCaPemBase64 =
    "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJpRENDQVMrZ0F3SUJBZ0lVSEtaWUdBRXpk"
    "WnBPckpYc0wvSnU2YWhhOFVBd0NnWUlLb1pJemowRUF3SXcKR1RFWE1CVUdBMVVFQXd3T1oyRnVk"
    "SEo1SUhSbGMzUWdRMEV3SUJjTk1qWXhNakF5TVRNeE5qTXpXaGdQTWpFeQpOakV4TURneE16RTJN"
    "ek5hTUJreEZ6QVZCZ05WQkFNTURtZGhiblJ5ZVNCMFpYTjBJRU5CTUZrd0V3WUhLb1pJCnpqMENB"
    "UVlJS29aSXpqMERBUWNEUWdBRWdFMy83cVpZMEdrMmdqQUxnTWtLQnVLUzZhODMyTmVmZWx6SXpQ"
    "OUwKUlZnYlhnY00zUFkvTDl6NnVmRjZ2aER2elZBRG1YOGo4ZlJuRGhsZXdxdkYvcU5UTUZFd0hR"
    "WURWUjBPQkJZRQpGSGtBa25rOFlJeTlzSkprM2kzL0xuZTBIY3pLTUI4R0ExVWRJd1FZTUJhQUZI"
    "a0Frbms4WUl5OXNKSmszaTMvCkxuZTBIY3pLTUE4R0ExVWRFd0VCL3dRRk1BTUJBZjh3Q2dZSUtv"
    "Wkl6ajBFQXdJRFJ3QXdSQUlnT29wS1lWMDcKV1hmMHZTUkVocjUrQ1k5dXQrMHRQQVc0TG12RkxC"
    "WHFtclFDSUJxRDNhWmpxNnpzSXBWbG9vZXptS2lmR2JQQQpGOWRjM2N0WXJCS1Q0c2RSCi0tLS0t"
    "RU5EIENFUlRJRklDQVRFLS0tLS0K"
    ;

}  // namespace gantry::testing
