//! Base64 text parameters (watermark text and font names, the save-as target): URL-safe, with
//! the standard alphabet's `+` and `/` read as `-` and `_` and padding tolerated. OSS accepts
//! both alphabets: ali-oss's `processObjectSave` sends standard Base64 (its test watermarks with
//! `text_aGVsbG8g5Zu+54mH5pyN5Yqh77yB` and saves to a key whose Base64 contains `/`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// The UTF-8 text `v` encodes, if it is Base64 of UTF-8 in either alphabet.
pub fn decode_base64_text(v: &str) -> Option<String> {
    let safe: String = v
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '+' => '-',
            '/' => '_',
            c => c,
        })
        .collect();
    let bytes = URL_SAFE_NO_PAD.decode(safe).ok()?;
    String::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::decode_base64_text;

    #[test]
    fn both_alphabets_and_padding() {
        // "图片" in UTF-8 is e5 9b be e7 89 87: standard "5Zu+54mH", URL-safe "5Zu-54mH".
        assert_eq!(decode_base64_text("5Zu+54mH").as_deref(), Some("图片"));
        assert_eq!(decode_base64_text("5Zu-54mH").as_deref(), Some("图片"));
        assert_eq!(decode_base64_text("aGk=").as_deref(), Some("hi"));
        assert_eq!(decode_base64_text("//79"), None); // not UTF-8
        assert_eq!(decode_base64_text("a"), None);
    }
}
