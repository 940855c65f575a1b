//! The images pages show: their size, for `width` and `height` attributes
//! (no layout shift on phones), and a thumbnail for the large ones.
//!
//! Only images a gallery, avatar or showcase names are decoded, in
//! parallel, once per load; decoding is the slowest step of a load with
//! photos, so nothing else here touches pixels.

use std::collections::BTreeSet;

use rayon::prelude::*;

use super::model::{KindData, Page, Site};
use crate::diagnostics::{Diagnostic, codes};
use crate::images::ProbeCache;

/// Measures every image a page shows (gallery photos, avatars, showcase
/// images) and makes thumbnails of the large ones, in parallel.
pub(super) fn process_images(
    site: &mut Site,
    cache: Option<&ProbeCache>,
    diags: &mut Vec<Diagnostic>,
) {
    let mut wanted: BTreeSet<String> = BTreeSet::new();
    for p in &site.pages {
        let dir = p.src.rel.trim_end_matches("index.md");
        for name in image_names(p) {
            let rel = format!("{dir}{name}");
            if site.files.contains_key(&rel) && crate::images::is_image(name) {
                wanted.insert(rel);
            }
        }
    }
    struct Probed {
        rel: String,
        dims: Option<(u32, u32)>,
        thumb: Result<Option<(Vec<u8>, u32, u32)>, String>,
    }
    let results: Vec<Probed> = wanted
        .par_iter()
        .map(|rel| {
            let f = &site.files[rel];
            let (dims, thumb) = match cache {
                Some(c) => c.probe(&f.src),
                None => crate::images::probe(&f.src),
            };
            Probed {
                rel: rel.clone(),
                dims,
                thumb,
            }
        })
        .collect();
    for Probed { rel, dims, thumb } in results {
        let f = &site.files[&rel];
        let Some((width, height)) = dims else {
            diags.push(
                Diagnostic::warning(
                    site.config.source_file(&rel),
                    codes::MISSING_FILE,
                    "cannot read this image's size",
                )
                .with_help("save it as JPEG, PNG or SVG"),
            );
            continue;
        };
        let thumb = match thumb {
            Ok(Some((bytes, w, h))) => {
                let name = crate::images::thumb_name(rel.rsplit('/').next().unwrap_or(&rel));
                let dir = f.path.rsplit_once('/').map(|(d, _)| d).unwrap_or("");
                let path = format!("{dir}/{name}");
                if site.files.values().any(|o| o.path == path) {
                    None
                } else {
                    site.thumbs.insert(path.clone(), (bytes, f.tier));
                    Some((path, w, h))
                }
            }
            Ok(None) => None,
            Err(m) => {
                diags.push(
                    Diagnostic::warning(
                        site.config.source_file(&rel),
                        codes::MISSING_FILE,
                        format!("no thumbnail: {m}"),
                    )
                    .with_help("re-save the image as a standard JPEG or PNG"),
                );
                None
            }
        };
        site.images.insert(
            rel,
            crate::images::ImageMeta {
                width,
                height,
                thumb,
            },
        );
    }
}

/// The files a page shows as images (gallery photos, avatar, showcase
/// images), as written: all that [`process_images`] reads of a page, so a
/// patch that leaves them alone keeps the images as they were.
pub(super) fn image_names(p: &Page) -> Vec<&str> {
    match &p.data {
        KindData::Activity(a) => a.photos.iter().map(|ph| ph.file.value.as_str()).collect(),
        KindData::Member(m) => m
            .avatar
            .iter()
            .chain(m.showcase.iter().filter_map(|w| w.image.as_ref()))
            .map(|v| v.value.as_str())
            .collect(),
        _ => Vec::new(),
    }
}
