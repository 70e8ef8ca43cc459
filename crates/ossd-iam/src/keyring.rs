//! [`Keyring`]: the master key(s), AES-256-GCM sealing, and derived STS secrets.
//!
//! Two sub-keys are derived from each 32-byte master key with HMAC-SHA256 (domain separation):
//! one seals (AccessKey secrets at rest, STS tokens), one derives temporary secrets from temporary
//! AccessKey ids. A sealed box is `version (1) | key id (4, BE) | nonce (12) | ciphertext + tag`;
//! the header is authenticated as associated data together with a caller-chosen context, so a box
//! cannot be moved to another purpose or record.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use hmac::{Hmac, Mac};
use rand::Rng;
use sha2::Sha256;
use std::path::Path;
use zeroize::Zeroizing;

use crate::IamError;

/// The format version of a sealed box.
const BOX_VERSION: u8 = 1;
/// Header length: version + key id.
const HEADER: usize = 5;
/// AES-GCM nonce length.
const NONCE: usize = 12;
/// Domain label of the sealing sub-key.
const SEAL_LABEL: &[u8] = b"ossd-iam seal v1";
/// Domain label of the STS-secret sub-key.
const SECRET_LABEL: &[u8] = b"ossd-iam sts-secret v1";
/// Length of a derived temporary AccessKey secret (hex characters).
const TEMP_SECRET_LEN: usize = 44;

/// One master key and its derived sub-keys.
struct Key {
    id: u32,
    master: Zeroizing<[u8; 32]>,
    seal: Aes256Gcm,
    mac: Zeroizing<[u8; 32]>,
}

/// Master key material: loaded from / created in `<data-dir>/master.key` (0600) by the binary; 32 random bytes; a key id for rotation.
///
/// The first key seals; every key opens (older keys kept for rotation). `Debug` shows key ids only.
pub struct Keyring {
    keys: Vec<Key>,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ids: Vec<u32> = self.keys.iter().map(|k| k.id).collect();
        f.debug_struct("Keyring").field("key_ids", &ids).finish()
    }
}

/// HMAC-SHA256 of `data` under the 32-byte `key` (zero-padded to the block size, as RFC 2104
/// does anyway, which makes construction infallible).
fn hmac(key: &[u8; 32], data: &[u8]) -> Zeroizing<[u8; 32]> {
    let mut block = Zeroizing::new([0u8; 64]);
    block[..32].copy_from_slice(key);
    let mut mac = <Hmac<Sha256> as KeyInit>::new((&*block).into());
    mac.update(data);
    Zeroizing::new(mac.finalize().into_bytes().into())
}

impl Key {
    /// Derives the sub-keys of `master`.
    fn new(id: u32, master: [u8; 32]) -> Self {
        let master = Zeroizing::new(master);
        let seal_key = hmac(&master, SEAL_LABEL);
        let seal = Aes256Gcm::new((&*seal_key).into());
        let mac = hmac(&master, SECRET_LABEL);
        Self {
            id,
            master,
            seal,
            mac,
        }
    }
}

impl Keyring {
    /// A keyring with one fresh random key (id 1).
    pub fn generate() -> Self {
        let mut key = Zeroizing::new([0u8; 32]);
        rand::rng().fill(&mut key[..]);
        Self::from_bytes(1, *key)
    }

    /// A keyring with one given key.
    pub fn from_bytes(id: u32, key: [u8; 32]) -> Self {
        Self {
            keys: vec![Key::new(id, key)],
        }
    }

    /// Adds an older key that still opens what it sealed (rotation); the current key is unchanged.
    pub fn with_previous(mut self, id: u32, key: [u8; 32]) -> Self {
        self.keys.push(Key::new(id, key));
        self
    }

    /// The id of the key that seals.
    pub fn current_id(&self) -> u32 {
        self.keys.first().map_or(0, |k| k.id)
    }

    /// Loads the key file at `path`, or creates it (mode 0600) with a fresh key if it is absent.
    pub fn load_or_create(path: &Path) -> Result<Self, IamError> {
        crate::keyfile::load_or_create(path)
    }

    /// The key with `id`.
    fn key(&self, id: u32) -> Option<&Key> {
        self.keys.iter().find(|k| k.id == id)
    }

    /// Seals `plain` for `context` under the current key.
    pub(crate) fn seal(&self, context: &[u8], plain: &[u8]) -> Result<Vec<u8>, IamError> {
        let key = self.keys.first().ok_or(IamError::MasterKeyMismatch)?;
        let mut out = Vec::with_capacity(HEADER + NONCE + plain.len() + 16);
        out.push(BOX_VERSION);
        out.extend_from_slice(&key.id.to_be_bytes());
        let mut nonce = [0u8; NONCE];
        rand::rng().fill(&mut nonce);
        out.extend_from_slice(&nonce);
        let aad = [&out[..HEADER], context].concat();
        let payload = Payload {
            msg: plain,
            aad: &aad,
        };
        let sealed = key
            .seal
            .encrypt(Nonce::from_slice(&nonce), payload)
            .map_err(|_| IamError::Sealing(None))?;
        out.extend_from_slice(&sealed);
        Ok(out)
    }

    /// Opens a box sealed for `context`; `None` if it is malformed, forged, or from an unknown key.
    pub(crate) fn open(&self, context: &[u8], sealed: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
        let (header, rest) = sealed.split_at_checked(HEADER)?;
        let (nonce, body) = rest.split_at_checked(NONCE)?;
        let (version, id) = header.split_first()?;
        if *version != BOX_VERSION {
            return None;
        }
        let key = self.key(u32::from_be_bytes(id.try_into().ok()?))?;
        let aad = [header, context].concat();
        let payload = Payload {
            msg: body,
            aad: &aad,
        };
        let plain = key.seal.decrypt(Nonce::from_slice(nonce), payload).ok()?;
        Some(Zeroizing::new(plain))
    }

    /// The key id a sealed box names, if it is well formed.
    pub(crate) fn sealed_key_id(sealed: &[u8]) -> Option<u32> {
        let id = sealed.get(1..HEADER)?;
        Some(u32::from_be_bytes(id.try_into().ok()?))
    }

    /// The temporary secret of temporary AccessKey `key_id` under key `master_id` (no storage).
    pub(crate) fn temp_secret(&self, master_id: u32, key_id: &str) -> Option<Zeroizing<String>> {
        let key = self.key(master_id)?;
        let digest = hmac(&key.mac, key_id.as_bytes());
        let mut hex = Zeroizing::new(hex::encode(digest.as_slice()));
        hex.truncate(TEMP_SECRET_LEN);
        Some(hex)
    }

    /// The file form of the keyring: one `id:hex` line per key, current first.
    pub(crate) fn to_file_text(&self) -> Zeroizing<String> {
        let mut text = Zeroizing::new(String::with_capacity(
            crate::keyfile::HEADER.len() + 80 * self.keys.len(),
        ));
        text.push_str(crate::keyfile::HEADER);
        for key in &self.keys {
            let hex = Zeroizing::new(hex::encode(key.master.as_slice()));
            text.push_str(&key.id.to_string());
            text.push(':');
            text.push_str(&hex);
            text.push('\n');
        }
        text
    }
}
