//! The endpoints beside the object API: health and metrics (`ops`), administration (`admin`),
//! the RAM/STS RPC API (`rpc`), the AWS STS Query API (`aws_sts`) and PostObject form uploads
//! (`post`).

pub(crate) mod admin;
pub(crate) mod aws_sts;
pub(crate) mod ops;
pub(crate) mod post;
pub(crate) mod rpc;
