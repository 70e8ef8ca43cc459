//! The parameters of one action (`name,k_v,k_v` or `name,value`), with typed, range-checked
//! accessors whose errors name the action and the parameter.

use crate::error::ImageError;

/// The parsed parameters of one action.
pub(crate) struct Params<'a> {
    action: &'a str,
    named: Vec<(&'a str, &'a str)>,
    positional: Option<&'a str>,
}

impl<'a> Params<'a> {
    /// Splits `k_v` pairs and at most one positional value; rejects keys not in `allowed`.
    pub(crate) fn new(
        action: &'a str,
        raw: &[&'a str],
        allowed: &[&str],
    ) -> Result<Self, ImageError> {
        let mut named = Vec::new();
        let mut positional = None;
        for p in raw.iter().copied().filter(|p| !p.is_empty()) {
            match p.split_once('_') {
                Some((k, v)) if !k.starts_with('-') => {
                    if !allowed.contains(&k) {
                        return Err(ImageError::InvalidArgument(format!(
                            "Unknown parameter '{k}' for '{action}'."
                        )));
                    }
                    named.push((k, v));
                }
                _ if positional.is_none() => positional = Some(p),
                _ => {
                    return Err(ImageError::InvalidArgument(format!(
                        "Unexpected value '{p}' for '{action}'."
                    )));
                }
            }
        }
        Ok(Self {
            action,
            named,
            positional,
        })
    }

    /// The last value of `key`.
    pub(crate) fn get(&self, key: &str) -> Option<&'a str> {
        self.named
            .iter()
            .rev()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| *v)
    }

    /// `key` as an unsigned integer in `lo..=hi`.
    pub(crate) fn uint(&self, key: &str, lo: u32, hi: u32) -> Result<Option<u32>, ImageError> {
        self.get(key)
            .map(|v| self.check_uint(key, v, lo, hi))
            .transpose()
    }

    /// `key` as `0` or `1`.
    pub(crate) fn flag(&self, key: &str) -> Result<Option<bool>, ImageError> {
        Ok(self.uint(key, 0, 1)?.map(|v| v == 1))
    }

    /// `key`, required.
    pub(crate) fn required_uint(&self, key: &str, lo: u32, hi: u32) -> Result<u32, ImageError> {
        self.uint(key, lo, hi)?.ok_or_else(|| {
            ImageError::MissingArgument(format!("Missing parameter '{key}' for '{}'.", self.action))
        })
    }

    /// The positional value as an integer in `lo..=hi` (negative allowed when `lo < 0`).
    pub(crate) fn positional_int(&self, lo: i32, hi: i32) -> Result<i32, ImageError> {
        let v = self.positional_str()?;
        let digits = v.strip_prefix('-').unwrap_or(v);
        let parsed = if is_digits(digits) {
            v.parse::<i32>().ok()
        } else {
            None
        };
        match parsed {
            Some(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(ImageError::bad_value(
                self.action,
                "value",
                v,
                &format!("an integer in {lo}..{hi}"),
            )),
        }
    }

    /// The positional value, required.
    pub(crate) fn positional_str(&self) -> Result<&'a str, ImageError> {
        self.positional.ok_or_else(|| {
            ImageError::MissingArgument(format!("Missing value for '{}'.", self.action))
        })
    }

    /// `key` as a 6-digit hex colour.
    pub(crate) fn color(&self, key: &str) -> Result<Option<[u8; 3]>, ImageError> {
        let Some(v) = self.get(key) else {
            return Ok(None);
        };
        let hex = |i: usize| v.get(i..i + 2).and_then(|s| u8::from_str_radix(s, 16).ok());
        match (v.len(), hex(0), hex(2), hex(4)) {
            (6, Some(r), Some(g), Some(b)) if v.bytes().all(|c| c.is_ascii_hexdigit()) => {
                Ok(Some([r, g, b]))
            }
            _ => Err(ImageError::bad_value(self.action, key, v, "RRGGBB hex")),
        }
    }

    fn check_uint(&self, key: &str, v: &str, lo: u32, hi: u32) -> Result<u32, ImageError> {
        let parsed = if is_digits(v) {
            v.parse::<u32>().ok()
        } else {
            None
        };
        match parsed {
            Some(n) if (lo..=hi).contains(&n) => Ok(n),
            _ => Err(ImageError::bad_value(
                self.action,
                key,
                v,
                &format!("an integer in {lo}..{hi}"),
            )),
        }
    }
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.len() <= 10 && s.bytes().all(|b| b.is_ascii_digit())
}
