//! Image facts and thumbnails: dimensions for `width`/`height` attributes (no
//! layout shift on phones) and small JPEG thumbnails for galleries.
//!
//! Decoding is the only expensive step, so it happens once per build, in
//! parallel, and only for images a gallery, avatar or showcase shows;
//! `serve`, which loads a site many times, keeps a [`ProbeCache`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::SystemTime;

/// Thumbnails are at most this wide (and this tall), in pixels.
pub const THUMB_SIZE: u32 = 480;

/// What a page needs to show an image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImageMeta {
    /// Natural width in pixels.
    pub width: u32,
    /// Natural height in pixels.
    pub height: u32,
    /// URL path, width and height of the thumbnail, when one was made.
    pub thumb: Option<(String, u32, u32)>,
}

/// Whether a file name is an image Hearth can measure.
pub fn is_image(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".jpg", ".jpeg", ".png", ".svg", ".gif", ".webp"]
        .iter()
        .any(|e| lower.ends_with(e))
}

/// Width and height of an image file, reading only what it must.
pub fn dimensions(path: &Path) -> Option<(u32, u32)> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("svg"))
    {
        return svg_dimensions(&std::fs::read_to_string(path).ok()?);
    }
    image::ImageReader::open(path)
        .ok()?
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()
}

/// Reads `width`/`height` (or the `viewBox`) of an SVG's root element.
fn svg_dimensions(svg: &str) -> Option<(u32, u32)> {
    let start = svg.find("<svg")?;
    let end = start + svg[start..].find('>')?;
    let tag = &svg[start..end];
    let attr = |name: &str| -> Option<f64> {
        let i = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        let v = &tag[i..i + tag[i..].find('"')?];
        v.trim_end_matches("px").parse().ok()
    };
    if let (Some(w), Some(h)) = (attr("width"), attr("height")) {
        return Some((w.round() as u32, h.round() as u32));
    }
    let i = tag.find(" viewBox=\"")? + 10;
    let vb: Vec<f64> = tag[i..i + tag[i..].find('"')?]
        .split([' ', ','])
        .filter(|s| !s.is_empty())
        .filter_map(|s| s.parse().ok())
        .collect();
    (vb.len() == 4).then(|| (vb[2].round() as u32, vb[3].round() as u32))
}

/// A JPEG thumbnail no larger than [`THUMB_SIZE`], or `None` when the image is
/// already small (or not a raster image).
pub fn thumbnail(path: &Path) -> Result<Option<(Vec<u8>, u32, u32)>, String> {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if !matches!(ext.as_str(), "jpg" | "jpeg" | "png") {
        return Ok(None);
    }
    let img = image::ImageReader::open(path)
        .map_err(|e| e.to_string())?
        .with_guessed_format()
        .map_err(|e| e.to_string())?
        .decode()
        .map_err(|e| format!("cannot decode the image: {e}"))?;
    if img.width() <= THUMB_SIZE && img.height() <= THUMB_SIZE {
        return Ok(None);
    }
    let small = img.thumbnail(THUMB_SIZE, THUMB_SIZE).to_rgb8();
    let (w, h) = small.dimensions();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 78)
        .encode_image(&small)
        .map_err(|e| e.to_string())?;
    Ok(Some((out, w, h)))
}

/// Size and thumbnail of one image file, as a build needs them.
pub type Probe = (
    Option<(u32, u32)>,
    Result<Option<(Vec<u8>, u32, u32)>, String>,
);

/// Dimensions and thumbnail of `path`, decoded now.
pub fn probe(path: &Path) -> Probe {
    (dimensions(path), thumbnail(path))
}

/// A file as a cache recognises it: path, size and modification time.
type CacheKey = (PathBuf, u64, Option<SystemTime>);

/// Results of [`probe`] kept between loads of one site, keyed by path,
/// size and modification time: `hearth serve` loads the site again on many
/// saves, and decoding photos would otherwise dominate each reload.
///
/// Owned by whoever loads more than once (`serve`, for its life) and
/// passed in with [`crate::content::LoadOptions`]; a build loads once and
/// needs none, and two servers in one process (tests) never share one.
#[derive(Default)]
pub struct ProbeCache(Mutex<HashMap<CacheKey, Probe>>);

impl ProbeCache {
    /// Dimensions and thumbnail of `path`, from the cache when the file is unchanged.
    pub fn probe(&self, path: &Path) -> Probe {
        let meta = std::fs::metadata(path).ok();
        let key = (
            path.to_path_buf(),
            meta.as_ref().map(|m| m.len()).unwrap_or(0),
            meta.as_ref().and_then(|m| m.modified().ok()),
        );
        if let Some(hit) = self.0.lock().ok().and_then(|c| c.get(&key).cloned()) {
            return hit;
        }
        let result = probe(path);
        if let Ok(mut c) = self.0.lock() {
            c.insert(key, result.clone());
        }
        result
    }
}

impl std::fmt::Debug for ProbeCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.0.lock().map(|c| c.len()).unwrap_or(0);
        write!(f, "ProbeCache({n} images)")
    }
}

/// The thumbnail's file name beside the original: `photo-1.jpg` → `photo-1.thumb.jpg`.
pub fn thumb_name(name: &str) -> String {
    match name.rsplit_once('.') {
        Some((stem, _)) => format!("{stem}.thumb.jpg"),
        None => format!("{name}.thumb.jpg"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn svg_sizes_from_attributes_or_viewbox() {
        assert_eq!(
            svg_dimensions("<svg xmlns=\"x\" width=\"96\" height=\"48px\">"),
            Some((96, 48))
        );
        assert_eq!(
            svg_dimensions("<?xml?><svg viewBox=\"0 0 120 80\">"),
            Some((120, 80))
        );
        assert_eq!(svg_dimensions("<p>"), None);
    }

    #[test]
    fn a_cache_answers_until_the_file_changes() {
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("photo.png");
        let save = |w, h| {
            image::RgbImage::from_pixel(w, h, image::Rgb([9, 9, 9]))
                .save(&photo)
                .unwrap()
        };
        save(1000, 500);
        let cache = ProbeCache::default();
        assert_eq!(cache.probe(&photo).0, Some((1000, 500)));
        assert_eq!(cache.probe(&photo), probe(&photo));
        assert_eq!(format!("{cache:?}"), "ProbeCache(1 images)");
        save(600, 601);
        assert_eq!(
            cache.probe(&photo).0,
            Some((600, 601)),
            "a new size is a new file"
        );
    }

    #[test]
    fn thumbnails_shrink_large_photos_only() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.png");
        image::RgbImage::from_pixel(1000, 500, image::Rgb([200, 100, 50]))
            .save(&big)
            .unwrap();
        let (bytes, w, h) = thumbnail(&big).unwrap().unwrap();
        assert_eq!((w, h), (480, 240));
        assert!(bytes.starts_with(&[0xFF, 0xD8]), "a JPEG");
        assert_eq!(dimensions(&big), Some((1000, 500)));
        let small = dir.path().join("small.png");
        image::RgbImage::from_pixel(100, 100, image::Rgb([0, 0, 0]))
            .save(&small)
            .unwrap();
        assert_eq!(thumbnail(&small).unwrap(), None);
        assert_eq!(thumb_name("photo-1.jpg"), "photo-1.thumb.jpg");
    }
}
