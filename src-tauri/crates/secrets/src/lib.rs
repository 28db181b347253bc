//! Named secrets kept only in the OS keychain (skeleton; the store follows).
