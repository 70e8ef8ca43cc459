//! HTTP glue: listener, TLS, dispatcher, streaming, request ids.
