//! The stored forms of the bucket configuration documents ([`BucketConfig`]): CORS, Referer,
//! tags and S3 ownership controls are stored as the canonical XML their GET returns, lifecycle
//! as OSS's GET document with the S3 forms of its rules kept
//! ([`LifecycleConfiguration::to_stored_xml`]); the image styles of a bucket are one JSON array
//! ([`Styles`]). A stored document is only ever written from a value that was validated, so
//! decoding parses with the same rules as the request body.

use ossd_types::BucketConfig;
use serde_json::{Value, json};

use super::style::DEFAULT_STYLE_CATEGORY;
use super::{
    BucketTagging, CorsConfiguration, LifecycleConfiguration, OwnershipControls,
    RefererConfiguration, Style,
};
use crate::error::OssError;

/// [`BucketConfig`] for documents stored as the canonical XML their GET returns, parsed back
/// with the request body's rules, and always stored (no value means "no configuration").
macro_rules! stored_as_xml {
    ($($ty:ty => $kind:literal),+ $(,)?) => {$(
        impl BucketConfig for $ty {
            const KIND: &'static str = $kind;
            type DecodeError = OssError;

            fn decode(stored: &str) -> Result<Self, OssError> {
                Self::parse(stored.as_bytes())
            }

            fn encode(&self) -> Option<String> {
                Some(self.to_xml())
            }
        }
    )+};
}

stored_as_xml!(
    CorsConfiguration => "cors",
    OwnershipControls => "ownershipControls",
);

impl BucketConfig for RefererConfiguration {
    const KIND: &'static str = "referer";
    type DecodeError = OssError;

    fn decode(stored: &str) -> Result<Self, OssError> {
        Self::parse(stored.as_bytes())
    }

    /// The default rules (everything allowed) are stored as no document.
    fn encode(&self) -> Option<String> {
        (*self != Self::default()).then(|| self.to_xml())
    }
}

impl BucketConfig for LifecycleConfiguration {
    const KIND: &'static str = "lifecycle";
    type DecodeError = OssError;

    fn decode(stored: &str) -> Result<Self, OssError> {
        Self::parse(stored.as_bytes())
    }

    /// [`LifecycleConfiguration::to_stored_xml`]: OSS's document, with S3's forms kept.
    fn encode(&self) -> Option<String> {
        Some(self.to_stored_xml())
    }
}

impl BucketConfig for BucketTagging {
    const KIND: &'static str = "tagging";
    type DecodeError = OssError;

    fn decode(stored: &str) -> Result<Self, OssError> {
        Self::parse(stored.as_bytes())
    }

    /// An empty tag set is stored as no document.
    fn encode(&self) -> Option<String> {
        (!self.tags.is_empty()).then(|| self.to_xml())
    }
}

/// All image styles of a bucket (PutStyle, GetStyle, ListStyle, DeleteStyle), in the order they
/// were created.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Styles(pub Vec<Style>);

impl BucketConfig for Styles {
    const KIND: &'static str = "style";
    type DecodeError = serde_json::Error;

    /// Reads `[{"name":..,"content":..,"category":..,"create":ms,"modify":ms}, ...]` (a
    /// `category` absent, as in documents stored before it was kept, is `image`); malformed
    /// entries are skipped.
    fn decode(stored: &str) -> Result<Self, serde_json::Error> {
        let items: Vec<Value> = serde_json::from_str(stored)?;
        Ok(Self(
            items
                .iter()
                .filter_map(|v| {
                    Some(Style {
                        name: v.get("name")?.as_str()?.to_owned(),
                        content: v.get("content")?.as_str()?.to_owned(),
                        category: v
                            .get("category")
                            .and_then(Value::as_str)
                            .unwrap_or(DEFAULT_STYLE_CATEGORY)
                            .to_owned(),
                        create_ms: v.get("create")?.as_i64()?,
                        modify_ms: v.get("modify")?.as_i64()?,
                    })
                })
                .collect(),
        ))
    }

    /// No styles are stored as no document.
    fn encode(&self) -> Option<String> {
        if self.0.is_empty() {
            return None;
        }
        let items: Vec<Value> = self
            .0
            .iter()
            .map(|s| {
                json!({"name": s.name, "content": s.content, "category": s.category,
                       "create": s.create_ms, "modify": s.modify_ms})
            })
            .collect();
        Some(Value::Array(items).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_round_trip() {
        let s = Style {
            name: "a".into(),
            content: "image/resize,w_1".into(),
            category: "video".into(),
            create_ms: 1000,
            modify_ms: 2000,
        };
        let styles = Styles(vec![s]);
        let doc = styles.encode().unwrap_or_default();
        assert!(doc.starts_with("[{") && doc.contains(r#""create":1000"#));
        assert_eq!(Styles::decode(&doc).ok(), Some(styles));
        assert!(Styles::decode("{").is_err());
        assert_eq!(Styles::default().encode(), None);
        let skipped =
            Styles::decode(r#"[{"name":"x"},{"name":"b","content":"c","create":1,"modify":2}]"#);
        assert_eq!(
            skipped.map(|s| (s.0.len(), s.0[0].category.clone())).ok(),
            Some((1, "image".to_owned()))
        );
    }

    #[test]
    fn absent_values_store_nothing() {
        assert_eq!(RefererConfiguration::default().encode(), None);
        assert_eq!(BucketTagging::default().encode(), None);
    }

    #[test]
    fn ownership_controls_round_trip() {
        let controls = OwnershipControls {
            object_ownership: super::super::ObjectOwnership::BucketOwnerEnforced,
        };
        let stored = controls.encode().unwrap_or_default();
        assert_eq!(OwnershipControls::decode(&stored).ok(), Some(controls));
    }

    #[test]
    fn lifecycle_stored_form_is_stable() {
        let body = br#"<LifecycleConfiguration>
          <Rule><ID>r1</ID><Prefix>logs/</Prefix><Status>Enabled</Status>
            <Expiration><Days>3</Days></Expiration>
            <AbortMultipartUpload><Days>1</Days></AbortMultipartUpload></Rule>
          <Rule><Prefix>tmp/</Prefix><Status>Disabled</Status>
            <Expiration><CreatedBeforeDate>2024-01-01T00:00:00.000Z</CreatedBeforeDate></Expiration>
            <NoncurrentVersionExpiration><NoncurrentDays>5</NoncurrentDays></NoncurrentVersionExpiration></Rule>
        </LifecycleConfiguration>"#;
        let Ok(config) = LifecycleConfiguration::parse(body) else {
            panic!("valid lifecycle document refused");
        };
        let stored = config.encode().unwrap_or_default();
        // Rules in OSS's form are stored as OSS's document, as before S3's forms were kept.
        assert_eq!(stored, config.to_xml());
        let again = LifecycleConfiguration::decode(&stored).map(|c| c.to_xml());
        assert_eq!(again.ok(), Some(stored));
    }

    #[test]
    fn lifecycle_s3_forms_survive_storage() {
        let body = br#"<LifecycleConfiguration>
          <Rule><ID>a</ID><Filter><And><Prefix>p/</Prefix><Tag><Key>k</Key><Value>v</Value></Tag>
            <ObjectSizeGreaterThan>10</ObjectSizeGreaterThan></And></Filter><Status>Enabled</Status>
            <Transition><Days>5</Days><StorageClass>GLACIER_IR</StorageClass></Transition></Rule>
          <Rule><ID>b</ID><Filter><Prefix></Prefix></Filter><Status>Enabled</Status>
            <NoncurrentVersionExpiration><NoncurrentDays>2</NoncurrentDays>
            <NewerNoncurrentVersions>3</NewerNoncurrentVersions></NoncurrentVersionExpiration>
            <NoncurrentVersionTransition><NoncurrentDays>1</NoncurrentDays><StorageClass>GLACIER</StorageClass>
            <NewerNoncurrentVersions>4</NewerNoncurrentVersions></NoncurrentVersionTransition></Rule>
          <Rule><ID>c</ID><Filter><Tag><Key>t</Key><Value>1</Value></Tag>
            <Not><Prefix>x/</Prefix></Not></Filter><Status>Enabled</Status>
            <Expiration><Days>4</Days></Expiration></Rule>
          <Rule><ID>d</ID><Filter></Filter><Status>Disabled</Status>
            <Expiration><ExpiredObjectDeleteMarker>true</ExpiredObjectDeleteMarker></Expiration></Rule>
        </LifecycleConfiguration>"#;
        let Ok(config) = LifecycleConfiguration::parse(body) else {
            panic!("valid lifecycle document refused");
        };
        let stored = config.encode().unwrap_or_default();
        let decoded = LifecycleConfiguration::decode(&stored);
        assert_eq!(decoded.as_ref().ok(), Some(&config));
        // OSS's document is the same whether read from the body or from storage.
        assert_eq!(decoded.map(|c| c.to_xml()).ok(), Some(config.to_xml()));
        assert!(stored.contains("<StorageClass>GLACIER_IR</StorageClass>"));
        assert!(config.to_xml().contains("<StorageClass>IA</StorageClass>"));
        assert!(!config.to_xml().contains("NewerNoncurrentVersions"));
    }

    #[test]
    fn lifecycle_stored_before_forms_reads_as_prefix_rules() {
        // A document stored by earlier code: OSS's form, whatever form the rule was put in.
        let old = "<LifecycleConfiguration><Rule><ID>r</ID><Prefix>tmp/</Prefix>\
                   <Status>Enabled</Status><Expiration><Days>1</Days></Expiration>\
                   <Tag><Key>k</Key><Value>v</Value></Tag></Rule></LifecycleConfiguration>";
        let Ok(config) = LifecycleConfiguration::decode(old) else {
            panic!("stored document refused");
        };
        assert_eq!(
            config.rules[0].form,
            ossd_types::lifecycle::RuleForm::Prefix
        );
        assert_eq!(config.to_stored_xml(), config.to_xml());
    }
}
