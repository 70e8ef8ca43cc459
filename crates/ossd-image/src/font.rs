//! The fonts of text watermarks: two open fonts bundled in the binary (`fonts/README.md`), the
//! OSS font names (`type_<b64 name>`) they stand in for, and the per-character choice between
//! them (DejaVu Sans for Latin, Greek, Cyrillic and symbols; Droid Sans Fallback for CJK).

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, PxScale};

use crate::error::ImageError;

/// DejaVu Sans 2.37 (Bitstream Vera license; `fonts/LICENSE-DejaVuSans.txt`).
static DEJAVU_SANS: &[u8] = include_bytes!("../fonts/DejaVuSans.ttf");
/// Droid Sans Fallback (Apache-2.0; `fonts/LICENSE-DroidSansFallback.txt`).
static DROID_SANS_FALLBACK: &[u8] = include_bytes!("../fonts/DroidSansFallback.ttf");

/// The font names OSS accepts in `type`; every one is drawn with the bundled pair.
pub const FONT_NAMES: &[&str] = &[
    "wqy-zenhei",
    "wqy-microhei",
    "fangzhengshusong",
    "fangzhengkaiti",
    "fangzhengheiti",
    "fangzhengfangsong",
    "droidsansfallback",
];

/// The font used when `type` is absent.
pub const DEFAULT_FONT: &str = "wqy-zenhei";

/// Checks an OSS font name (after Base64 decoding).
pub(crate) fn check_name(name: &str) -> Result<(), ImageError> {
    if FONT_NAMES.contains(&name) {
        return Ok(());
    }
    Err(ImageError::bad_value(
        "watermark",
        "type",
        name,
        &format!("the URL-safe Base64 of one of {}", FONT_NAMES.join(", ")),
    ))
}

/// The bundled faces, parsed once.
pub(crate) struct Faces {
    faces: Vec<FontRef<'static>>,
}

/// One glyph chosen for a character: which face, and its id there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pick {
    /// Index into the faces.
    pub face: usize,
    /// The glyph in that face.
    pub id: GlyphId,
}

impl Faces {
    /// The bundled faces, or an internal error if the embedded data cannot be read.
    pub(crate) fn bundled() -> Result<&'static Faces, ImageError> {
        static FACES: OnceLock<Option<Faces>> = OnceLock::new();
        FACES
            .get_or_init(|| {
                let faces = [DEJAVU_SANS, DROID_SANS_FALLBACK]
                    .into_iter()
                    .map(FontRef::try_from_slice)
                    .collect::<Result<Vec<_>, _>>()
                    .ok()?;
                Some(Faces { faces })
            })
            .as_ref()
            .ok_or_else(|| ImageError::Internal("the bundled fonts cannot be read".into()))
    }

    /// The face drawing `c`: the first that has a glyph for it, else the first face's
    /// `.notdef` box.
    pub(crate) fn pick(&self, c: char) -> Pick {
        self.faces
            .iter()
            .enumerate()
            .find_map(|(face, f)| {
                let id = f.glyph_id(c);
                (id.0 != 0).then_some(Pick { face, id })
            })
            .unwrap_or(Pick {
                face: 0,
                id: GlyphId(0),
            })
    }

    /// Face `i`.
    pub(crate) fn face(&self, i: usize) -> &FontRef<'static> {
        &self.faces[i.min(self.faces.len() - 1)]
    }

    /// The `ab_glyph` scale of face `i` for a font size of `px` pixels per em.
    pub(crate) fn scale(&self, i: usize, px: f32) -> PxScale {
        let f = self.face(i);
        let upem = f.units_per_em().unwrap_or(1000.0);
        PxScale::from(px * f.height_unscaled() / upem)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(check_name(DEFAULT_FONT).is_ok());
        assert!(check_name("fangzhengkaiti").is_ok());
        let err = check_name("comic-sans").unwrap_err();
        assert_eq!(err.name(), "InvalidArgument");
        assert!(err.to_string().contains("'type'"), "{err}");
    }

    #[test]
    fn latin_from_dejavu_cjk_from_droid() {
        let faces = Faces::bundled().unwrap();
        assert_eq!(faces.pick('A').face, 0);
        assert_eq!(faces.pick('я').face, 0);
        assert_eq!(faces.pick('中').face, 1);
        assert_eq!(faces.pick('한').face, 1);
        assert_eq!(faces.pick('か').face, 1);
        assert_ne!(faces.pick('中').id, GlyphId(0));
        // Private use: no face has it; the first face's box is drawn.
        assert_eq!(
            faces.pick('\u{E000}'),
            Pick {
                face: 0,
                id: GlyphId(0)
            }
        );
    }

    #[test]
    fn one_em_is_the_requested_size() {
        let faces = Faces::bundled().unwrap();
        for i in 0..2 {
            let f = faces.face(i);
            let s = faces.scale(i, 100.0);
            let upem = f.units_per_em().unwrap();
            let em_px = upem * s.y / f.height_unscaled();
            assert!((em_px - 100.0).abs() < 0.01, "{em_px}");
        }
    }
}
