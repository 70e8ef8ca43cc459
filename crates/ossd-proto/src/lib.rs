//! The OSS wire: request classification and parsing, XML bodies, error documents.
