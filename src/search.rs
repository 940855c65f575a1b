//! Site search that works in Chinese: a static index, one bundle per audience.
//!
//! Why our own index rather than Pagefind or a JS library (numbers in
//! `docs/search.md`): a reader who types `读书会` expects every page that
//! contains 读书会, and a word segmenter may cut the page at build time
//! differently from the query in the browser (Pagefind 1.6 finds 0.7 % of
//! the pages holding 读书会 on a 10,000-page site), while a JS index loaded
//! whole costs phones megabytes. Here
//! CJK text is indexed as overlapping character pairs (bigrams) plus the last
//! character of each run, which finds *every* substring of two or more
//! characters by construction (longer ones are confirmed against the page
//! text); everything else is indexed as lowercased words, the last one of a
//! query matched as a prefix. It costs no dependency and little build time.
//!
//! The index is a stack of bundles, one per tier, each in one folder so the
//! host can gate it with a single path rule, like the feeds
//! (`/search/public/`, `/search/member/`, …). At the edge a bundle holds
//! only the pages of its own tier, and a reader searches the public bundle
//! plus each gated bundle the host lets them fetch: a member's search loads
//! the public part once and the member part, never a second copy of the
//! public pages (format 1 wrote one bundle per audience, each repeating
//! every public page: on a 10,000-page hub with three tiers that was 27,000
//! files, almost half of everything the build wrote). A bundle is:
//!
//! - `index.json`: the manifest: format, content version, document count,
//!   the first term of every shard, the size of every pack and, in the
//!   public bundle at the edge, the ids of the bundles that stack on it.
//!   Small and plain JSON, so a phone fetches little up front.
//! - `s/N.gz`: shards of the term dictionary, sorted by term (UTF-16 code
//!   units, the order JavaScript compares strings in), each term with its
//!   postings. A query fetches only the shards of its own terms.
//! - `p/N.gz`: packs of consecutive documents (title, URL, date, text),
//!   fetched only for the results shown, for excerpts and phrase checks.
//!   Several documents to a file, so the bundle is a few hundred files
//!   rather than one per page.
//!
//! Shards and packs are gzip-compressed JSON: hosts do not compress a file
//! they serve as `application/gzip`, so the bytes on disk are the bytes a
//! phone downloads and a deploy uploads, on every host.
//!
//! Which documents a bundle holds is asked of [`crate::tiers`] only: the
//! public bundle is built from public pages alone, so no gated title or text
//! can reach it, and each gated bundle is served at its own tier.
//!
//! `themes/default/static/search.js` mirrors the query side ([`query_parts`],
//! [`normalize`], [`search_stack`]) and the tokenizer it rests on; change them
//! together. The CJK class both rest on is [`crate::text::is_cjk`], and
//! `tests/fixtures/text-vectors.json` pins the tokenizer for both: the tests
//! here and `tools/check-text-vectors.mjs` read it.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::content::{Kind, KindData, Site};
use crate::diagnostics::Diagnostic;
use crate::outputs::Artifact;
use crate::text::{fold, is_cjk};
use crate::tiers::{Audience, Tier};

/// Format of the bundle; the browser refuses a bundle it does not know.
/// 2: one bundle per tier, stacked by the reader (format 1 had one per
/// audience, each repeating every public document); packed, gzip-compressed
/// shards and documents.
pub const FORMAT: u32 = 2;

/// A shard is closed once its JSON passes this many bytes (before
/// compression): small enough that a query on a phone fetches about ten
/// kilobytes per term, large enough that a 10,000-page site needs a manifest
/// of only a few hundred entries.
pub const SHARD_BYTES: usize = 24 * 1024;

/// A pack of documents is closed once its JSON passes this many bytes
/// (before compression; about 9 KB compressed): the first result shown
/// costs one pack, a page of ten at most ten, and a 10,000-page hub needs
/// one file per thirteen documents or so instead of one per document, so
/// the search data stays a small part of what a host is asked to take
/// (Cloudflare Pages: 20,000 files on its free plan). Smaller packs cost
/// fewer bytes per result and more files: at 12 KB the tiered 10k hub's
/// public bundle needs 819 packs of 6 KB, at 20 KB 505 of 9 KB.
pub const PACK_BYTES: usize = 20 * 1024;

/// At most this many documents share a pack, however short they are: a
/// result shown never costs the texts of more than this many pages.
pub const PACK_DOCS: usize = 32;

/// Words longer than this are ids, hashes or URLs nobody types: not indexed.
pub const MAX_WORD_CHARS: usize = 40;

/// Weight of a term found in the title; above anything the other fields give,
/// so title matches rank first.
const W_TITLE: u8 = 8;
/// Weight of a term in the description, headings, tags or place names.
const W_META: u8 = 4;
/// Body occurrences count up to this many.
const W_BODY_MAX: u8 = 3;

/// The folder of the bundle of `tier`, e.g. `/search/member/`.
pub fn bundle_dir(site: &Site, tier: Tier) -> String {
    site.lang_path(&format!("/search/{}/", site.tiers.info(tier).id))
}

/// The URL templates give the search box: the manifest the script starts
/// from. At the edge that is the public bundle's, which names the gated
/// bundles above it (`stack`); the script finds out which of them the
/// visitor may fetch (the host refuses the others) and searches them all,
/// whatever the tier of the page it runs on. A single-audience build has
/// exactly one bundle, not gated, and nothing to stack.
pub fn index_url(site: &Site, audience: Audience) -> String {
    let tier = match audience {
        Audience::Edge => Tier::PUBLIC,
        Audience::Only(a) => a,
    };
    format!(
        "{}{}index.json",
        site.config.base_path(),
        bundle_dir(site, tier)
    )
}

/// One bundle of the build: its folder's tier, which documents it holds,
/// and who may fetch it.
struct Plan {
    /// The tier that names the folder.
    tier: Tier,
    /// Holds documents of exactly this tier (at the edge: the bundles
    /// stack), or every document this tier may read (a single audience).
    exact: bool,
    /// The tier it is served at.
    served: Tier,
}

/// The bundles of a build. At the edge one per tier, each holding only the
/// documents of its own tier and served at that tier: a member's search
/// loads the public bundle and the member bundle, so no document is written
/// twice and no gated text sits below its tier. For `--audience TIER` one
/// bundle of everything that tier may read, not gated (the whole build is
/// for that audience).
fn plans(site: &Site, audience: Audience) -> Vec<Plan> {
    match audience {
        Audience::Edge => site
            .tiers
            .all()
            .map(|(t, _)| Plan {
                tier: t,
                exact: true,
                served: t,
            })
            .collect(),
        Audience::Only(a) => vec![Plan {
            tier: a,
            exact: false,
            served: Tier::PUBLIC,
        }],
    }
}

/// One searchable page or section, before it is numbered for a bundle.
#[derive(Debug, Clone)]
struct Doc<'a> {
    title: String,
    url: String,
    date: Option<String>,
    /// Description, tags, places, chapter, roles, showcased works, photo
    /// captions: short text the page shows about itself.
    meta: String,
    /// The page's plain text. Its searchable form ([`body_text`]: link
    /// targets removed, whitespace collapsed) is made chunk by chunk while
    /// the bundles are built, never for the whole site at once: on a
    /// 100,000-page hub that copy is a few hundred megabytes.
    plain: &'a str,
    tier: Tier,
    /// Sort key: undated (evergreen) pages first, then newest first, then path.
    key: (bool, std::cmp::Reverse<String>, String),
}

/// Removes the ` (https://…)` that plain text appends to links: URLs are
/// noise in excerpts, and their words (`https`, the host) would match everywhere.
fn strip_link_targets(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(" (") {
        out.push_str(&rest[..i]);
        let after = &rest[i + 2..];
        let is_link = ["http://", "https://", "mailto:", "/"]
            .iter()
            .any(|p| after.starts_with(p));
        let end = after.find(|c: char| c == ')' || c.is_whitespace());
        match end {
            Some(e) if is_link && after[e..].starts_with(')') => rest = &after[e + 1..],
            _ => {
                out.push_str(" (");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn collapse_whitespace(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn join_nonempty<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" · ")
}

/// A document's body as search sees it: plain text without link targets,
/// whitespace collapsed.
fn body_text(plain: &str) -> String {
    collapse_whitespace(&strip_link_targets(plain))
}

/// Every page and section written in this build, with its tier and text.
fn collect_docs(site: &Site, audience: Audience) -> Vec<Doc<'_>> {
    let mut docs = Vec::new();
    for s in &site.sections {
        if !site.tiers.is_written(audience, s.tier) {
            continue;
        }
        docs.push(Doc {
            title: s.title.clone(),
            url: site.url(&s.path),
            date: None,
            meta: join_nonempty([s.fm.description.as_deref().unwrap_or("")]),
            plain: &s.md.plain,
            tier: s.tier,
            key: (false, std::cmp::Reverse(String::new()), s.path.clone()),
        });
    }
    docs.par_extend(site.pages.par_iter().filter_map(|p| {
        if !site.tiers.is_written(audience, p.tier) {
            return None;
        }
        let mut meta: Vec<&str> = vec![p.fm.description.as_deref().unwrap_or("")];
        meta.extend(p.tags.iter().map(String::as_str));
        let chapter = match &p.data {
            KindData::Event(e, _) => {
                if let Some(l) = &e.location {
                    meta.push(l.name.as_deref().unwrap_or(""));
                    meta.push(l.address.as_deref().unwrap_or(""));
                }
                e.chapter.as_ref()
            }
            KindData::Activity(a) => {
                meta.extend(a.photos.iter().filter_map(|ph| ph.caption.as_deref()));
                a.chapter.as_ref()
            }
            KindData::Member(m) => {
                for r in &m.roles {
                    if let Some(def) = site.config.roles.iter().find(|d| d.id == r.value) {
                        meta.push(&def.name);
                    }
                }
                for w in &m.showcase {
                    meta.push(&w.title);
                    meta.push(w.description.as_deref().unwrap_or(""));
                }
                m.chapter.as_ref()
            }
            KindData::Chapter(c) => {
                meta.push(c.city.as_deref().unwrap_or(""));
                meta.push(c.meets.as_deref().unwrap_or(""));
                None
            }
            KindData::None => None,
        };
        // The chapter's title ("柏林分会 · Berlin Chapter") when its page is no
        // more gated than this one, so everyone who finds this page may read it.
        if let Some(c) = chapter {
            match site.find(Kind::Chapter, &c.value).map(|i| &site.pages[i]) {
                Some(ch) if site.tiers.may_see(p.tier, ch.tier) => meta.push(&ch.title),
                _ => meta.push(&c.value),
            }
        }
        let date = p.date.map(|d| d.date.to_string());
        Some(Doc {
            title: p.title.clone(),
            url: site.url(&p.path),
            meta: join_nonempty(meta),
            plain: &p.md.plain,
            tier: p.tier,
            key: (
                date.is_some(),
                std::cmp::Reverse(date.clone().unwrap_or_default()),
                p.path.clone(),
            ),
            date,
        })
    }));
    docs.par_sort_unstable_by(|a, b| a.key.cmp(&b.key));
    docs
}

// ---------------------------------------------------------------------------
// Tokens

/// A piece of text or of a query, as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// A word of a script that separates words (Latin, Cyrillic, digits, …), lowercased.
    Word(String),
    /// A run of CJK characters; whitespace between two of them does not end
    /// the run (a line wrapped in the middle of a sentence).
    Cjk(String),
}

/// Splits page text into words and CJK runs.
pub fn tokenize(text: &str) -> Vec<Token> {
    split(text, false)
}

/// Splits a query into words and CJK runs, as `search.js` does in the
/// browser (a space between CJK characters separates two runs).
pub fn query_tokens(q: &str) -> Vec<Token> {
    split(q, true)
}

/// Splits text into words and CJK runs; in a query a space between CJK
/// characters separates two runs (the reader meant two words), in a page it
/// does not (a wrapped line).
fn split(text: &str, query: bool) -> Vec<Token> {
    let mut out = Vec::new();
    scan(text, query, &mut |t| {
        out.push(match t {
            Tok::Word(w) => Token::Word(w.to_string()),
            Tok::Cjk(r) => Token::Cjk(r.to_string()),
        })
    });
    out
}

/// A token borrowed from the scanner's buffers.
enum Tok<'a> {
    Word(&'a str),
    Cjk(&'a str),
}

/// The tokenizer behind [`split`], handing each token to `visit` from two
/// reused buffers: indexing a large site allocates nothing per token.
fn scan(text: &str, query: bool, visit: &mut dyn FnMut(Tok<'_>)) {
    let mut word = String::new();
    let mut run = String::new();
    let flush_word = |word: &mut String, visit: &mut dyn FnMut(Tok<'_>)| {
        if !word.is_empty() {
            if word.len() <= MAX_WORD_CHARS || word.chars().count() <= MAX_WORD_CHARS {
                visit(Tok::Word(word));
            }
            word.clear();
        }
    };
    let flush_run = |run: &mut String, visit: &mut dyn FnMut(Tok<'_>)| {
        if !run.is_empty() {
            visit(Tok::Cjk(run));
            run.clear();
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        // ASCII, most of any page (Chinese ones too: spaces, digits,
        // punctuation, code), without decoding or folding: the branches
        // below give it the same tokens, a tenth of a build's tokenizing.
        let b = bytes[i];
        if b.is_ascii() {
            i += 1;
            if b.is_ascii_alphanumeric() {
                flush_run(&mut run, visit);
                word.push(char::from(b.to_ascii_lowercase()));
            } else {
                flush_word(&mut word, visit);
                if query || !char::from(b).is_whitespace() {
                    flush_run(&mut run, visit);
                }
            }
            continue;
        }
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        i += c.len_utf8();
        let c = fold(c);
        if is_cjk(c) {
            flush_word(&mut word, visit);
            run.push(c);
        } else if c.is_alphanumeric() {
            flush_run(&mut run, visit);
            if c.is_ascii() {
                word.push(c.to_ascii_lowercase());
            } else {
                word.extend(c.to_lowercase());
            }
        } else {
            flush_word(&mut word, visit);
            if query || !c.is_whitespace() {
                flush_run(&mut run, visit);
            }
        }
    }
    flush_word(&mut word, visit);
    flush_run(&mut run, visit);
}

/// A CJK pair as one number (`'\0'` second for a run's last character
/// alone): hashing and comparing it is a single integer operation, and it
/// becomes a string only once per bundle, when the dictionary is written.
fn pair_key(a: char, b: char) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}

fn pair_text(key: u64) -> String {
    let a = char::from_u32((key >> 32) as u32).unwrap_or('\u{FFFD}');
    let b = char::from_u32(key as u32).unwrap_or('\0');
    let mut t = String::from(a);
    if b != '\0' {
        t.push(b);
    }
    t
}

/// A document's terms with their weights, in no particular order.
#[derive(Default)]
struct Terms {
    pairs: Vec<(u64, u8)>,
    words: Vec<(Box<str>, u8)>,
}

/// Per-field hits of one term in one document: title, meta, body count.
type Hits = (bool, bool, u8);

/// The per-document maps, kept between documents so their tables are
/// allocated once per worker rather than grown again for every page.
#[derive(Default)]
struct Scratch {
    words: FxHashMap<Box<str>, Hits>,
    pairs: FxHashMap<u64, Hits>,
}

/// A document's terms with their weights.
fn doc_terms(doc: &Doc, body: &str, scratch: &mut Scratch) -> Terms {
    let Scratch { words, pairs } = scratch;
    for (field, text) in [(0, doc.title.as_str()), (1, doc.meta.as_str()), (2, body)] {
        let hit = |h: &mut Hits| match field {
            0 => h.0 = true,
            1 => h.1 = true,
            _ => h.2 = (h.2 + 1).min(W_BODY_MAX),
        };
        scan(text, false, &mut |t| match t {
            Tok::Word(w) => match words.get_mut(w) {
                Some(h) => hit(h),
                None => hit(words.entry(w.into()).or_default()),
            },
            Tok::Cjk(r) => {
                let mut chars = r.chars().peekable();
                while let Some(c) = chars.next() {
                    let next = chars.peek().copied().unwrap_or('\0');
                    hit(pairs.entry(pair_key(c, next)).or_default());
                }
            }
        });
    }
    let weight = |(title, meta, body): Hits| {
        (if title { W_TITLE } else { 0 }) + (if meta { W_META } else { 0 }) + body
    };
    Terms {
        pairs: pairs.drain().map(|(k, h)| (k, weight(h))).collect(),
        words: words.drain().map(|(w, h)| (w, weight(h))).collect(),
    }
}

// ---------------------------------------------------------------------------
// Postings: base64 variable-length numbers, five bits a character

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Appends one posting, `(gap << 4) | weight`, in base64 digits of five
/// bits plus a continuation bit: one character for most postings of common
/// terms, JSON-safe, and decoded in a few lines of JS.
fn push_posting(out: &mut Vec<u8>, gap: u32, weight: u8) {
    let mut v = (u64::from(gap) << 4) | u64::from(weight & 15);
    loop {
        let mut digit = (v & 31) as usize;
        v >>= 5;
        if v > 0 {
            digit |= 32;
        }
        out.push(B64[digit]);
        if v == 0 {
            break;
        }
    }
}

/// A term's postings while a bundle is built, already in their written
/// form: a posting costs its one or two characters, not an 8-byte pair kept
/// until the end (on a 100,000-page hub, 50 million postings: 400 MB as
/// pairs, under 100 MB encoded).
#[derive(Default)]
struct Postings {
    last: u32,
    enc: Vec<u8>,
}

impl Postings {
    /// Adds a document, which must come after every document already added.
    fn push(&mut self, doc: u32, weight: u8) {
        push_posting(&mut self.enc, doc - self.last, weight);
        self.last = doc;
    }

    fn into_string(self) -> String {
        // Only base64 digits were pushed.
        String::from_utf8(self.enc).unwrap_or_default()
    }
}

/// Encodes (document, weight) pairs, documents ascending (see [`push_posting`]).
#[cfg(test)]
fn encode_postings(postings: &[(u32, u8)]) -> String {
    let mut p = Postings::default();
    for &(doc, weight) in postings {
        p.push(doc, weight);
    }
    p.into_string()
}

fn decode_postings(s: &str) -> Vec<(u32, u8)> {
    let mut out = Vec::new();
    let mut doc = 0u64;
    let mut v = 0u64;
    let mut shift = 0;
    for b in s.bytes() {
        let Some(d) = B64.iter().position(|&x| x == b) else {
            return out;
        };
        v |= ((d & 31) as u64) << shift;
        if d & 32 != 0 {
            shift += 5;
            continue;
        }
        doc += v >> 4;
        out.push((doc as u32, (v & 15) as u8));
        v = 0;
        shift = 0;
    }
    out
}

/// Orders strings as JavaScript's `<` does (UTF-16 code units), so the
/// browser can binary-search what Rust sorted.
fn js_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    // Without characters beyond U+FFFF (four UTF-8 bytes, lead byte 0xF0 and
    // up) both orders are code point order, which UTF-8 bytes already have.
    if a.bytes().chain(b.bytes()).all(|x| x < 0xF0) {
        a.as_bytes().cmp(b.as_bytes())
    } else {
        a.encode_utf16().cmp(b.encode_utf16())
    }
}

/// FNV-1a's starting value.
pub(crate) const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

/// 64-bit FNV-1a: a stable content version for cache busting (`?v=`) and
/// the preview's ETags. Start from [`FNV_OFFSET`].
pub(crate) fn fnv1a(bytes: &[u8], mut h: u64) -> u64 {
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x100_0000_01b3);
    }
    h
}

// ---------------------------------------------------------------------------
// Bundles

/// The manifest of a bundle (`index.json`), the one file of it that is
/// plain JSON: small, fetched first, and readable by people.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    /// [`FORMAT`].
    pub format: u32,
    /// Content hash, appended to shard and pack URLs so a browser never
    /// mixes files of two builds from its cache.
    pub version: String,
    /// Documents in the bundle.
    pub docs: u32,
    /// First term of each shard, ascending.
    pub shards: Vec<String>,
    /// How many documents each pack holds, in order: pack `i` holds the
    /// documents that follow those of packs `0..i`.
    pub packs: Vec<u32>,
    /// The entry bundle at the edge only: the ids of the gated tiers whose
    /// bundles stack on this one, lowest first. A reader searches this
    /// bundle and each of these that the host lets them fetch.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stack: Vec<String>,
    /// The entry bundle of a site in several languages: the other
    /// languages' entry manifests, searched after this language's (a
    /// Chinese reader finds Chinese pages first, then the others).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub languages: Vec<OtherLanguage>,
}

/// Another language's search, as the entry manifest names it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherLanguage {
    /// BCP 47 tag.
    pub tag: String,
    /// Its name for itself, to label its results.
    pub name: String,
    /// Its entry manifest, root-relative.
    pub index: String,
}

/// One document as a pack holds it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Fragment {
    /// Title.
    pub t: String,
    /// Root-relative URL.
    pub u: String,
    /// Publication date, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub d: Option<String>,
    /// Description, tags, places.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub m: String,
    /// Body text.
    pub x: String,
}

/// Receives each search file, with the tier it is served at, as soon as
/// it is made (from several threads): a 10,000-page site's bundle is never
/// held in memory whole.
use crate::outputs::Emit;

/// How hard shards and packs are compressed, on libdeflate's scale. Its
/// level 1 leaves the tiered 10k hub's search data smaller than zlib's
/// level 2 did (10.33 MB against 10.47, of 22.5 MB of JSON) in 40 % less
/// time; its levels 2 to 6 save 2.5–3.6 % more for 1.5 to 2.1 times the
/// time. The build compresses every bundle every time, so the cheapest
/// level that keeps the gain.
const GZIP_LEVEL: i32 = 1;

/// `bytes` as a gzip member, the form `DecompressionStream('gzip')` reads
/// in the browser. Deterministic: no file name, no time stamp.
///
/// libdeflate rather than flate2's streaming encoders: every shard and
/// pack is compressed whole, in memory, which is what it is made for, and
/// each thread keeps one compressor rather than setting up its tables for
/// every file. (flate2 still reads them back, in `gunzip`: a decoder that
/// is not the encoder's own.)
fn gzip(bytes: &[u8]) -> Vec<u8> {
    thread_local! {
        static DEFLATE: std::cell::RefCell<Option<libdeflater::Compressor>> =
            const { std::cell::RefCell::new(None) };
    }
    DEFLATE.with_borrow_mut(|c| {
        let c = c.get_or_insert_with(|| {
            let level = libdeflater::CompressionLvl::new(GZIP_LEVEL)
                .unwrap_or_else(|_| libdeflater::CompressionLvl::fastest());
            libdeflater::Compressor::new(level)
        });
        let mut out = vec![0; c.gzip_compress_bound(bytes.len())];
        // The bound is libdeflate's own worst case: compressing cannot
        // run out of room.
        let n = c.gzip_compress(bytes, &mut out).unwrap_or(0);
        out.truncate(n);
        out
    })
}

/// The bytes inside a gzip member, or the bytes themselves when they are
/// not one (a host that sent the file with `Content-Encoding: gzip` had the
/// browser unpack it already; the script makes the same check).
pub fn gunzip(bytes: &[u8]) -> Option<Vec<u8>> {
    use std::io::Read as _;
    if !bytes.starts_with(&[0x1f, 0x8b]) {
        return Some(bytes.to_vec());
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .read_to_end(&mut out)
        .ok()?;
    Some(out)
}

/// One bundle being built: documents are numbered as they are added, and
/// their terms go straight into the postings, so no per-document term list
/// outlives its chunk. Packs are cut and written as documents arrive.
struct BundleBuilder {
    dir: String,
    served: Tier,
    /// Documents added so far (the next one's number).
    docs: u32,
    pairs: FxHashMap<u64, Postings>,
    words: FxHashMap<Box<str>, Postings>,
    /// Documents of the pack being filled, as JSON, and their bytes.
    open: Vec<String>,
    open_bytes: usize,
    /// Documents of each finished pack.
    packs: Vec<u32>,
    /// FNV-1a of each finished pack's JSON, in order, for the version.
    pack_hashes: Vec<u64>,
}

/// A finished pack: its number and its JSON, ready to compress.
struct PackJob {
    n: usize,
    json: String,
}

impl BundleBuilder {
    fn new(dir: String, served: Tier) -> Self {
        BundleBuilder {
            dir,
            served,
            docs: 0,
            pairs: FxHashMap::default(),
            words: FxHashMap::default(),
            open: Vec::new(),
            open_bytes: 0,
            packs: Vec::new(),
            pack_hashes: Vec::new(),
        }
    }

    /// Adds a document (its terms and its JSON); returns a pack that is
    /// now full, for the caller to compress and write with the others of
    /// its chunk.
    fn add(&mut self, terms: &Terms, json: &str) -> Option<PackJob> {
        let id = self.docs;
        self.docs += 1;
        for &(key, w) in &terms.pairs {
            self.pairs.entry(key).or_default().push(id, w);
        }
        for (t, w) in &terms.words {
            match self.words.get_mut(t) {
                Some(p) => p.push(id, *w),
                None => {
                    let mut p = Postings::default();
                    p.push(id, *w);
                    self.words.insert(t.clone(), p);
                }
            }
        }
        self.open_bytes += json.len() + 1;
        self.open.push(json.to_string());
        (self.open_bytes >= PACK_BYTES || self.open.len() >= PACK_DOCS)
            .then(|| self.close_pack())
            .flatten()
    }

    /// Closes the pack being filled, if it holds anything.
    fn close_pack(&mut self) -> Option<PackJob> {
        if self.open.is_empty() {
            return None;
        }
        let mut json = String::with_capacity(self.open_bytes + 2);
        json.push('[');
        json.push_str(&self.open.join(","));
        json.push_str("]\n");
        self.packs.push(self.open.len() as u32);
        self.pack_hashes.push(fnv1a(json.as_bytes(), FNV_OFFSET));
        self.open.clear();
        self.open_bytes = 0;
        Some(PackJob {
            n: self.packs.len() - 1,
            json,
        })
    }

    /// Compresses and writes finished packs, in parallel.
    fn write_packs(&self, jobs: Vec<PackJob>, emit: &Emit) -> Result<(), Diagnostic> {
        let (dir, served) = (&self.dir, self.served);
        jobs.into_par_iter().try_for_each(|job| {
            emit(Artifact::new(
                format!("{dir}p/{}.gz", job.n),
                gzip(job.json.as_bytes()),
                served,
            ))
        })
    }

    /// Writes the last pack, the dictionary shards and the manifest, whose
    /// version hashes every shard and pack.
    fn finish(
        mut self,
        (stack, languages): (Vec<String>, Vec<OtherLanguage>),
        emit: &Emit,
    ) -> Result<(), Diagnostic> {
        let last: Vec<PackJob> = self.close_pack().into_iter().collect();
        self.write_packs(last, emit)?;
        let dir = &self.dir;
        let served = self.served;

        let mut sorted: Vec<(String, String)> = self
            .pairs
            .into_par_iter()
            .map(|(k, p)| (pair_text(k), p.into_string()))
            .chain(
                self.words
                    .into_par_iter()
                    .map(|(w, p)| (w.into_string(), p.into_string())),
            )
            .collect();
        // Terms are unique (pairs are CJK, words are not), so an unstable
        // sort is deterministic.
        sorted.par_sort_unstable_by(|a, b| js_cmp(&a.0, &b.0));

        // Cut the dictionary into shards, then compress them in parallel.
        let mut cuts: Vec<std::ops::Range<usize>> = Vec::new();
        let mut start = 0;
        let mut size = 0usize;
        for (i, (term, enc)) in sorted.iter().enumerate() {
            size += term.len() + enc.len() + 8;
            if size >= SHARD_BYTES {
                cuts.push(start..i + 1);
                start = i + 1;
                size = 0;
            }
        }
        if start < sorted.len() {
            cuts.push(start..sorted.len());
        }
        let firsts: Vec<String> = cuts.iter().map(|r| sorted[r.start].0.clone()).collect();
        let shard_hashes: Vec<u64> = cuts
            .par_iter()
            .enumerate()
            .map(|(n, r)| {
                let mut json = serde_json::to_string(&sorted[r.clone()]).unwrap_or_default();
                json.push('\n');
                let hash = fnv1a(json.as_bytes(), FNV_OFFSET);
                emit(Artifact::new(
                    format!("{dir}s/{n}.gz"),
                    gzip(json.as_bytes()),
                    served,
                ))?;
                Ok(hash)
            })
            .collect::<Result<_, Diagnostic>>()?;
        drop(sorted);
        let mut version = FNV_OFFSET;
        for h in shard_hashes.iter().chain(&self.pack_hashes) {
            version = fnv1a(&h.to_le_bytes(), version);
        }
        let manifest = Manifest {
            format: FORMAT,
            version: format!("{version:016x}"),
            docs: self.docs,
            shards: firsts,
            packs: self.packs,
            stack,
            languages,
        };
        let mut json = serde_json::to_string(&manifest).unwrap_or_default();
        json.push('\n');
        emit(Artifact::new(
            format!("{dir}index.json"),
            json.into_bytes(),
            served,
        ))
    }
}

/// [`Fragment`] borrowed from the document, written without copying its text.
#[derive(Serialize)]
struct FragmentRef<'a> {
    t: &'a str,
    u: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    #[serde(skip_serializing_if = "str::is_empty")]
    m: &'a str,
    x: &'a str,
}

/// Documents whose terms are computed at once (in parallel) before they are
/// added to the bundles: bounds the memory the term lists take.
const TERM_CHUNK: usize = 512;

/// Every search file of the build, with the tier each is served at: at the
/// edge one bundle per tier, holding that tier's documents only (the public
/// one plain, each gated one under a folder gated at its tier; a reader
/// stacks them); for `--audience TIER` one bundle of what that tier may
/// read. Each file goes to `emit` as soon as it is made.
pub fn bundles_into(site: &Site, audience: Audience, emit: &Emit) -> Result<(), Diagnostic> {
    let docs = collect_docs(site, audience);
    let plans = plans(site, audience);
    let mut builders: Vec<BundleBuilder> = plans
        .iter()
        .map(|p| BundleBuilder::new(bundle_dir(site, p.tier), p.served))
        .collect();
    let holds = |p: &Plan, doc: &Doc| {
        if p.exact {
            doc.tier == p.tier
        } else {
            site.tiers.may_see(p.tier, doc.tier)
        }
    };
    for chunk in docs.chunks(TERM_CHUNK) {
        let made: Vec<(Terms, String)> = chunk
            .par_iter()
            .map_init(Scratch::default, |scratch, doc| {
                let body = body_text(doc.plain);
                let json = serde_json::to_string(&FragmentRef {
                    t: &doc.title,
                    u: &doc.url,
                    d: doc.date.as_deref(),
                    m: &doc.meta,
                    x: &body,
                })
                .unwrap_or_default();
                (doc_terms(doc, &body, scratch), json)
            })
            .collect();
        let mut full: Vec<Vec<PackJob>> = builders.iter().map(|_| Vec::new()).collect();
        for (doc, (terms, json)) in chunk.iter().zip(&made) {
            for ((b, p), jobs) in builders.iter_mut().zip(&plans).zip(&mut full) {
                if holds(p, doc) {
                    jobs.extend(b.add(terms, json));
                }
            }
        }
        drop(made);
        for (b, jobs) in builders.iter().zip(full) {
            b.write_packs(jobs, emit)?;
        }
    }
    // The entry bundle names the bundles a reader may stack on it.
    let stack: Vec<String> = match audience {
        Audience::Edge => site
            .tiers
            .all()
            .filter(|(t, _)| t.is_gated())
            .map(|(_, info)| info.id.clone())
            .collect(),
        Audience::Only(_) => Vec::new(),
    };
    let entry_tier = match audience {
        Audience::Edge => Tier::PUBLIC,
        Audience::Only(a) => a,
    };
    let languages: Vec<OtherLanguage> = site
        .translations
        .langs
        .iter()
        .filter(|(tag, _)| *tag != site.lang.tag)
        .map(|(tag, prefix)| OtherLanguage {
            tag: tag.clone(),
            name: site.config.language_name(tag),
            index: format!(
                "{}{prefix}/search/{}/index.json",
                site.config.base_path(),
                site.tiers.info(entry_tier).id
            ),
        })
        .collect();
    builders.into_par_iter().enumerate().try_for_each(|(i, b)| {
        if i == 0 {
            b.finish((stack.clone(), languages.clone()), emit)
        } else {
            b.finish((Vec::new(), Vec::new()), emit)
        }
    })
}

/// [`bundles_into`] collected, sorted by path: for tests and benchmarks.
pub fn bundles(site: &Site, audience: Audience) -> Result<Vec<Artifact>, Diagnostic> {
    let out = std::sync::Mutex::new(Vec::new());
    bundles_into(site, audience, &|a| {
        out.lock().unwrap_or_else(|e| e.into_inner()).push(a);
        Ok(())
    })?;
    let mut files = out.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(files)
}

// ---------------------------------------------------------------------------
// Querying (the same algorithm as search.js, for tests and tools)

/// One condition of a query: a document must match one of `terms` (a prefix
/// part) or all of them (a CJK run's pairs), and, for a run of three or more
/// characters, contain `phrase` itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// Terms to look up.
    pub terms: Vec<String>,
    /// Whether `terms` holds one prefix to expand rather than exact terms.
    pub prefix: bool,
    /// Text the document must contain (CJK runs longer than one pair).
    pub phrase: Option<String>,
}

/// Parses a query: every word and CJK run must match (AND); the last word
/// matches as a prefix (the reader is still typing it), as does a single CJK
/// character (only run-final characters are indexed alone).
pub fn query_parts(q: &str) -> Vec<Part> {
    let tokens = query_tokens(q);
    let n = tokens.len();
    tokens
        .into_iter()
        .enumerate()
        .map(|(i, t)| match t {
            Token::Word(w) => Part {
                prefix: i + 1 == n && w.chars().count() >= 2,
                terms: vec![w],
                phrase: None,
            },
            Token::Cjk(r) => {
                let len = r.chars().count();
                if len == 1 {
                    Part {
                        terms: vec![r],
                        prefix: true,
                        phrase: None,
                    }
                } else {
                    let mut terms = Vec::new();
                    let chars: Vec<char> = r.chars().collect();
                    for pair in chars.windows(2) {
                        terms.push(pair.iter().collect());
                    }
                    Part {
                        terms,
                        prefix: false,
                        phrase: (len > 2).then_some(r),
                    }
                }
            }
        })
        .collect()
}

/// Text as the index sees it for phrase checks: folded, lowercased,
/// whitespace between CJK characters removed.
pub fn normalize(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    let mut last_cjk = false;
    for c in text.chars().map(fold) {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        let cjk = is_cjk(c);
        if pending_space && !(cjk && last_cjk) {
            out.push(' ');
        }
        pending_space = false;
        last_cjk = cjk;
        out.extend(c.to_lowercase());
    }
    out
}

/// A result: what the browser lists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    /// Root-relative URL.
    pub url: String,
    /// Title.
    pub title: String,
    /// Sum of the matched terms' weights (title 8, description/headings 4, body up to 3).
    pub score: u32,
}

/// Runs a query against one bundle through `read` (site path → bytes).
/// See [`search_stack`].
pub fn search(read: &dyn Fn(&str) -> Option<Vec<u8>>, dir: &str, query: &str) -> Vec<Hit> {
    search_stack(read, &[dir], query)
}

/// One bundle of a stack, as a query reads it.
struct Loaded<'r> {
    dir: &'r str,
    manifest: Manifest,
    /// First document of each pack.
    starts: Vec<u32>,
    shards: BTreeMap<usize, Vec<(String, String)>>,
    packs: BTreeMap<usize, Vec<Fragment>>,
}

impl Loaded<'_> {
    fn shard(&mut self, read: &dyn Fn(&str) -> Option<Vec<u8>>, i: usize) -> &[(String, String)] {
        let dir = self.dir;
        self.shards.entry(i).or_insert_with(|| {
            read(&format!("{dir}s/{i}.gz"))
                .and_then(|b| gunzip(&b))
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default()
        })
    }

    /// The last shard whose first term is not after `t`.
    fn shard_of(&self, t: &str) -> usize {
        self.manifest
            .shards
            .partition_point(|f| js_cmp(f, t) != std::cmp::Ordering::Greater)
            .saturating_sub(1)
    }

    fn fragment(&mut self, read: &dyn Fn(&str) -> Option<Vec<u8>>, doc: u32) -> Option<&Fragment> {
        let p = self.starts.partition_point(|&s| s <= doc).checked_sub(1)?;
        let first = self.starts[p];
        let dir = self.dir;
        let pack = self.packs.entry(p).or_insert_with(|| {
            read(&format!("{dir}p/{p}.gz"))
                .and_then(|b| gunzip(&b))
                .and_then(|b| serde_json::from_slice(&b).ok())
                .unwrap_or_default()
        });
        pack.get((doc - first) as usize)
    }

    /// Every document matching every part, with its score.
    fn rank(
        &mut self,
        read: &dyn Fn(&str) -> Option<Vec<u8>>,
        parts: &[Part],
    ) -> BTreeMap<u32, u32> {
        let mut acc: Option<BTreeMap<u32, u32>> = None;
        for part in parts {
            let mut scores: BTreeMap<u32, u32> = BTreeMap::new();
            if part.prefix {
                let p = &part.terms[0];
                let mut i = self.shard_of(p);
                loop {
                    for (t, enc) in self.shard(read, i) {
                        if t.starts_with(p.as_str()) {
                            for (d, w) in decode_postings(enc) {
                                let s = scores.entry(d).or_default();
                                *s = (*s).max(u32::from(w));
                            }
                        }
                    }
                    i += 1;
                    if i >= self.manifest.shards.len()
                        || !self.manifest.shards[i].starts_with(p.as_str())
                    {
                        break;
                    }
                }
            } else {
                for (k, t) in part.terms.iter().enumerate() {
                    let i = self.shard_of(t);
                    let found = self
                        .shard(read, i)
                        .iter()
                        .find(|(x, _)| x == t)
                        .map(|(_, enc)| decode_postings(enc))
                        .unwrap_or_default();
                    let these: BTreeMap<u32, u32> =
                        found.into_iter().map(|(d, w)| (d, u32::from(w))).collect();
                    scores = if k == 0 {
                        these
                    } else {
                        scores
                            .into_iter()
                            .filter_map(|(d, s)| these.get(&d).map(|w| (d, s.min(*w))))
                            .collect()
                    };
                }
            }
            acc = Some(match acc {
                None => scores,
                Some(a) => a
                    .into_iter()
                    .filter_map(|(d, s)| scores.get(&d).map(|w| (d, s + w)))
                    .collect(),
            });
        }
        acc.unwrap_or_default()
    }
}

/// Runs a query against a stack of bundles (the public one, then each
/// gated one the reader may fetch, lowest first) the way the browser does:
/// each manifest, the shards of the query's terms, then the packs of the
/// candidates. Returns every result, best first (ties: lower bundle first,
/// then the bundle's own order); empty when a bundle is missing or of
/// another format.
pub fn search_stack(
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    dirs: &[&str],
    query: &str,
) -> Vec<Hit> {
    let parts = query_parts(query);
    if parts.is_empty() {
        return Vec::new();
    }
    let mut stack = Vec::new();
    for dir in dirs {
        let Some(manifest) = read(&format!("{dir}index.json"))
            .and_then(|b| serde_json::from_slice::<Manifest>(&b).ok())
            .filter(|m| m.format == FORMAT)
        else {
            return Vec::new();
        };
        let starts = manifest
            .packs
            .iter()
            .scan(0u32, |next, n| {
                let s = *next;
                *next += n;
                Some(s)
            })
            .collect();
        stack.push(Loaded {
            dir,
            manifest,
            starts,
            shards: BTreeMap::new(),
            packs: BTreeMap::new(),
        });
    }
    let mut ranked: Vec<(u32, usize, u32)> = Vec::new();
    for (b, bundle) in stack.iter_mut().enumerate() {
        ranked.extend(
            bundle
                .rank(read, &parts)
                .into_iter()
                .map(|(d, s)| (s, b, d)),
        );
    }
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let phrases: Vec<&str> = parts.iter().filter_map(|p| p.phrase.as_deref()).collect();
    ranked
        .into_iter()
        .filter_map(|(score, b, d)| {
            let f = stack[b].fragment(read, d)?;
            if !phrases.is_empty() {
                // `·` keeps a run from reaching across fields, as in the index.
                let all = normalize(&format!("{} · {} · {}", f.t, f.m, f.x));
                if !phrases.iter().all(|p| all.contains(p)) {
                    return None;
                }
            }
            Some(Hit {
                url: f.u.clone(),
                title: f.t.clone(),
                score,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    /// A token as the vectors (and the search script) write it.
    fn token_json(t: &Token) -> Value {
        match t {
            Token::Word(w) => json!({ "word": w }),
            Token::Cjk(r) => json!({ "run": r }),
        }
    }

    #[test]
    fn tokenizer_matches_the_shared_vectors() {
        let v: Value =
            serde_json::from_str(include_str!("../tests/fixtures/text-vectors.json")).unwrap();
        for case in v["query"].as_array().unwrap() {
            let text = case["text"].as_str().unwrap();
            let tokens: Vec<Value> = query_tokens(text).iter().map(token_json).collect();
            assert_eq!(
                Value::from(tokens),
                case["tokens"],
                "query tokens of {text:?}"
            );
            let parts: Vec<Value> = query_parts(text)
                .into_iter()
                .map(|p| json!({ "terms": p.terms, "prefix": p.prefix, "phrase": p.phrase }))
                .collect();
            assert_eq!(Value::from(parts), case["parts"], "query parts of {text:?}");
            assert_eq!(
                normalize(text),
                case["normalized"].as_str().unwrap(),
                "{text:?}"
            );
        }
        for case in v["page"].as_array().unwrap() {
            let text = case["text"].as_str().unwrap();
            let tokens: Vec<Value> = tokenize(text).iter().map(token_json).collect();
            assert_eq!(
                Value::from(tokens),
                case["tokens"],
                "page tokens of {text:?}"
            );
        }
    }

    #[test]
    fn tokens_split_scripts_and_keep_cjk_runs_across_line_breaks() {
        assert_eq!(
            tokenize("Berlin分会的读\n书会，ＡＢＣ 2026年!"),
            vec![
                Token::Word("berlin".into()),
                Token::Cjk("分会的读书会".into()),
                Token::Word("abc".into()),
                Token::Word("2026".into()),
                Token::Cjk("年".into()),
            ]
        );
    }

    #[test]
    fn every_cjk_character_starts_a_term_and_fields_weigh_differently() {
        let doc = Doc {
            title: "读书会".into(),
            url: "/x/".into(),
            date: None,
            meta: "Berlin".into(),
            plain: "",
            tier: Tier::PUBLIC,
            key: (false, std::cmp::Reverse(String::new()), String::new()),
        };
        let found = doc_terms(&doc, "读书 读书 读书 读书 book", &mut Scratch::default());
        let terms: Vec<(String, u8)> = found
            .pairs
            .into_iter()
            .map(|(k, w)| (pair_text(k), w))
            .chain(found.words.into_iter().map(|(t, w)| (t.into_string(), w)))
            .collect();
        let get = |t: &str| terms.iter().find(|(x, _)| x == t).map(|(_, w)| *w);
        // The title's run gives 读书, 书会 and 会; the body's whitespace
        // between CJK characters does not break its run (读书读书读书读书).
        assert_eq!(get("读书"), Some(W_TITLE + W_BODY_MAX));
        assert_eq!(get("书会"), Some(W_TITLE));
        assert_eq!(get("会"), Some(W_TITLE));
        assert_eq!(get("书读"), Some(W_BODY_MAX));
        assert_eq!(get("书"), Some(1));
        assert_eq!(get("berlin"), Some(W_META));
        assert_eq!(get("book"), Some(1));
    }

    #[test]
    fn postings_round_trip() {
        let p = vec![(0, 8), (1, 3), (2, 15), (40, 1), (100_000, 12)];
        let enc = encode_postings(&p);
        assert_eq!(decode_postings(&enc), p);
        // Neighbouring documents cost one character each.
        assert_eq!(encode_postings(&[(0, 1), (1, 1), (2, 1)]).len(), 3);
        // Long lists of every width of posting, one digit to eight (the
        // widest gap there is), decode to what was encoded.
        let mut doc = 0u32;
        let long: Vec<(u32, u8)> = (0..2_000u32)
            .map(|i| {
                doc += [1, 7, 300, 40_000, 3_000_000][i as usize % 5];
                (doc, (i % 16) as u8)
            })
            .collect();
        assert_eq!(decode_postings(&encode_postings(&long)), long);
        let widest = [(0, 15), (u32::MAX, 15)];
        assert_eq!(decode_postings(&encode_postings(&widest)), widest);
    }

    #[test]
    fn gzip_round_trips_and_plain_bytes_pass_through() {
        let text = "读书会 · reading club ".repeat(50);
        let packed = gzip(text.as_bytes());
        assert!(packed.starts_with(&[0x1f, 0x8b]) && packed.len() < text.len() / 4);
        // Deterministic: no time stamp or file name in the header.
        assert_eq!(packed, gzip(text.as_bytes()));
        assert_eq!(gunzip(&packed).unwrap(), text.as_bytes());
        // A host that sent the file with Content-Encoding: gzip had it unpacked.
        assert_eq!(gunzip(b"[1,2]").unwrap(), b"[1,2]");
        // The thread's compressor is reused: a large file that does not
        // compress (its output outgrows the first buffer), an empty one,
        // and the first again, byte for byte as before.
        let mut noise = Vec::new();
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..300_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            noise.push(x as u8);
        }
        let big = gzip(&noise);
        assert!(big.len() > noise.len());
        assert_eq!(gunzip(&big).unwrap(), noise);
        assert_eq!(gunzip(&gzip(b"")).unwrap(), b"");
        assert_eq!(gzip(text.as_bytes()), packed);
    }

    #[test]
    fn link_targets_are_dropped() {
        assert_eq!(
            strip_link_targets("see rules (https://a.org/rules/) and (not a link) ok"),
            "see rules and (not a link) ok"
        );
    }

    #[test]
    fn queries_prefix_the_last_word_and_single_characters() {
        let q = query_parts("Rule ab 分享夜 书");
        assert_eq!(q.len(), 4);
        assert!(!q[0].prefix && q[0].terms == ["rule"]);
        assert_eq!(q[2].terms, ["分享", "享夜"]);
        assert_eq!(q[2].phrase.as_deref(), Some("分享夜"));
        assert!(q[3].prefix);
        assert!(query_parts("rule ab")[1].prefix);
        assert!(!query_parts("a")[0].prefix);
    }

    #[test]
    fn normalize_matches_tokenizer_runs() {
        assert_eq!(normalize("读\n 书  Club ＡＢ"), "读书 club ab");
    }

    #[test]
    fn utf16_order_puts_astral_characters_after_the_private_use_area() {
        assert_eq!(js_cmp("\u{20000}", "\u{E000}"), std::cmp::Ordering::Less);
        assert_eq!("\u{20000}".cmp("\u{E000}"), std::cmp::Ordering::Greater);
    }
}
