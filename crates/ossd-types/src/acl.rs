//! Enumerations with fixed OSS spellings: ACLs, storage classes, object types, versioning state.

use crate::TypesError;

macro_rules! spelled_enum {
    ($(#[$m:meta])* $name:ident, $what:literal, { $($(#[$vm:meta])* $v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* $v),+ }

        impl $name {
            /// The OSS spelling.
            pub fn as_str(self) -> &'static str {
                match self { $(Self::$v => $s),+ }
            }

            /// Parses the OSS spelling (exact match).
            pub fn parse(s: &str) -> Result<Self, TypesError> {
                match s {
                    $($s => Ok(Self::$v),)+
                    _ => Err(TypesError::InvalidValue { what: $what, value: s.to_owned() }),
                }
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                // A visitor rather than a `Cow<str>`, which serde always fills with an owned
                // copy: the spelling is parsed where the deserializer has it, unallocated.
                struct Spelling;
                impl serde::de::Visitor<'_> for Spelling {
                    type Value = $name;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str("a string")
                    }
                    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<$name, E> {
                        $name::parse(s).map_err(E::custom)
                    }
                }
                d.deserialize_str(Spelling)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

spelled_enum!(
    /// A bucket's canned ACL.
    BucketAcl, "bucket acl", {
        /// Only the owner (and whom policies allow).
        Private = "private",
        /// Anyone may read objects and list.
        PublicRead = "public-read",
        /// Anyone may read and write objects.
        PublicReadWrite = "public-read-write",
    }
);

spelled_enum!(
    /// An object's canned ACL; `default` inherits the bucket's.
    ObjectAcl, "object acl", {
        /// Inherit the bucket ACL.
        Default = "default",
        /// Only the owner.
        Private = "private",
        /// Anyone may read.
        PublicRead = "public-read",
        /// Anyone may read and write.
        PublicReadWrite = "public-read-write",
    }
);

spelled_enum!(
    /// An OSS storage class. ossd stores every class the same way and reports what was asked.
    StorageClass, "storage class", {
        /// Standard.
        Standard = "Standard",
        /// Infrequent access.
        Ia = "IA",
        /// Archive.
        Archive = "Archive",
        /// Cold archive.
        ColdArchive = "ColdArchive",
        /// Deep cold archive.
        DeepColdArchive = "DeepColdArchive",
    }
);

spelled_enum!(
    /// How an object came to be, as `x-oss-object-type` and `<Type>` report it.
    ObjectType, "object type", {
        /// PutObject, CopyObject, PostObject.
        Normal = "Normal",
        /// CompleteMultipartUpload.
        Multipart = "Multipart",
        /// AppendObject.
        Appendable = "Appendable",
        /// PutSymlink.
        Symlink = "Symlink",
    }
);

spelled_enum!(
    /// A bucket's versioning state. `Disabled` is the state of a bucket never configured.
    VersioningState, "versioning status", {
        /// Never configured.
        Disabled = "Disabled",
        /// Every write creates a new version.
        Enabled = "Enabled",
        /// Writes replace the `null` version.
        Suspended = "Suspended",
    }
);

impl BucketAcl {
    /// The effective ACL of an object whose own ACL is `obj` in a bucket with ACL `self`.
    pub fn effective(self, obj: ObjectAcl) -> BucketAcl {
        match obj {
            ObjectAcl::Default => self,
            ObjectAcl::Private => BucketAcl::Private,
            ObjectAcl::PublicRead => BucketAcl::PublicRead,
            ObjectAcl::PublicReadWrite => BucketAcl::PublicReadWrite,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        assert_eq!(BucketAcl::parse("public-read"), Ok(BucketAcl::PublicRead));
        assert_eq!(StorageClass::parse("IA").map(|s| s.as_str()), Ok("IA"));
        assert!(ObjectAcl::parse("PUBLIC").is_err());
        assert_eq!(
            BucketAcl::PublicRead.effective(ObjectAcl::Private),
            BucketAcl::Private
        );
    }
}
