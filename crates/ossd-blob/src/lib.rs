//! Object data files: streamed, hashed (MD5 + CRC-64) durable writes and ranged reads.
