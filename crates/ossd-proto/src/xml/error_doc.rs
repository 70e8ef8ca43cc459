//! The error document of docs/protocol/errors.md#error-document, and its Base64 form for the
//! `x-oss-err` header.

use super::writer::XmlWriter;
use crate::error::OssError;
use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// The `<RecommendDoc>` link for an EC code.
pub fn recommend_doc(ec: &str) -> String {
    format!("https://api.aliyun.com/troubleshoot?q={ec}")
}

impl OssError {
    /// The error document: Code, Message, RequestId, HostId, extras in order, then EC and
    /// RecommendDoc when the EC is known. One element per line, as OSS sends it.
    pub fn to_xml(&self, request_id: &str, host_id: &str) -> String {
        let mut w = XmlWriter::pretty();
        w.node("Error", |w| {
            w.elem("Code", self.code.as_str())
                .elem("Message", &self.message)
                .elem("RequestId", request_id)
                .elem("HostId", host_id);
            if let Some(detail) = &self.access_denied_detail {
                w.node("AccessDeniedDetail", |w| {
                    for (name, value) in detail.iter() {
                        w.elem(name, value);
                    }
                });
            }
            for (name, value) in &self.extras {
                w.elem(name, value);
            }
            if let Some(ec) = self.ec {
                w.elem("EC", ec).elem("RecommendDoc", &recommend_doc(ec));
            }
        });
        w.finish()
    }

    /// Base64 of [`OssError::to_xml`], the value of the `x-oss-err` header on bodiless errors.
    pub fn x_oss_err(&self, request_id: &str, host_id: &str) -> String {
        STANDARD.encode(self.to_xml(request_id, host_id))
    }
}
