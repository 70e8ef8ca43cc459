//! Generated identifiers and long-term secrets (docs/protocol/ram.md#entities-and-ids,
//! #accesskey-pairs).

use rand::Rng;
use rand::distr::{Alphanumeric, Uniform};
use zeroize::Zeroizing;

/// `n` random alphanumerics.
fn alphanumerics(n: usize) -> String {
    rand::rng()
        .sample_iter(Alphanumeric)
        .take(n)
        .map(char::from)
        .collect()
}

/// `n` random decimal digits, the first not zero.
fn digits(n: usize) -> String {
    let mut rng = rand::rng();
    let mut out = String::with_capacity(n);
    for i in 0..n {
        let low = u8::from(i == 0);
        let digit = Uniform::new_inclusive(low, 9).map_or(1, |d| rng.sample(d));
        out.push(char::from(b'0' + digit));
    }
    out
}

/// A UserId: 16 digits.
pub(crate) fn user_id() -> String {
    digits(16)
}

/// A RoleId: 18 digits.
pub(crate) fn role_id() -> String {
    digits(18)
}

/// A GroupId: `g-` + 16 alphanumerics.
pub(crate) fn group_id() -> String {
    format!("g-{}", alphanumerics(16))
}

/// A long-term AccessKey id: `LTAI` + 20 alphanumerics.
pub(crate) fn access_key_id() -> String {
    format!("LTAI{}", alphanumerics(20))
}

/// A long-term AccessKey secret: 30 alphanumerics.
pub(crate) fn access_key_secret() -> Zeroizing<String> {
    Zeroizing::new(alphanumerics(30))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let u = user_id();
        assert!(u.len() == 16 && u.bytes().all(|b| b.is_ascii_digit()) && !u.starts_with('0'));
        assert_eq!(role_id().len(), 18);
        assert!(group_id().starts_with("g-") && group_id().len() == 18);
        let k = access_key_id();
        assert!(k.starts_with("LTAI") && k.len() == 24);
        assert_eq!(access_key_secret().len(), 30);
    }
}
