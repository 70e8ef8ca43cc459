//! OSS V1/V2/V4 request signatures (header and URL), sans I/O.
