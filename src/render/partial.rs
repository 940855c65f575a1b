//! `partial(name=…, …)`: a template rendered with only its arguments (and
//! `hearth`), once per build for the same arguments.
//!
//! A listing card is the same markup on its section's listing, on each of
//! its tags' pages and on its hosts' profiles: on the tiered 10,000-page
//! benchmark hub the 28,776 cards written are 10,918 different ones; with
//! icons, the menu and the search box the theme makes 106,500 calls that
//! render 10,900 times. `include` renders each again; `partial` renders it
//! once and copies the text. (Event items stay included: each is listed
//! about once per reader, so their texts would be kept for nothing.) Hugo's `partialCached`
//! does this under a key the author names, which a wrong key turns into
//! one page's card on another; here the key is the arguments themselves,
//! compared exactly (string safety, map order and number types included),
//! so a cached text is only ever reused where rendering again would write
//! the same bytes. A locked card differs from the full one in its fields,
//! so a reader never gets another tier's card.
//!
//! The partial sees nothing else of the caller (which is what makes the
//! arguments a complete key), and `hearth`, which is fixed for a build and
//! language (each worker thread holds its own copy; equal copies share
//! their entries).

use std::cell::RefCell;
use std::hash::{Hash, Hasher};
use std::sync::{Mutex, OnceLock, Weak};

use rustc_hash::{FxHashMap, FxHasher};
use tera::{Context, Tera, Value};

/// The cache behind `partial()`, shared by the Tera function and the
/// renderer that clears it.
#[derive(Default)]
pub(super) struct Partials {
    /// The Tera the function renders with (set once it is built; weak, as
    /// Tera owns the function that owns this).
    tera: OnceLock<Weak<Tera>>,
    /// Rendered texts by the hash of their key.
    texts: Mutex<Texts>,
    hearths: Mutex<Hearths>,
    /// Calls and renders, for `HEARTH_TIMINGS`.
    calls: std::sync::atomic::AtomicUsize,
    renders: std::sync::atomic::AtomicUsize,
}

/// The texts kept, and what keeps their memory bounded: a text is kept
/// only while the texts of all partials stay under [`BUDGET`] bytes, and
/// for a partial whose kept texts are reused (a partial called with each
/// page's own values would otherwise keep every page alive).
#[derive(Default)]
struct Texts {
    by_hash: FxHashMap<u64, Vec<Entry>>,
    /// Per partial: texts kept and reuses of them.
    uses: FxHashMap<Box<str>, (usize, usize)>,
    bytes: usize,
}

/// Bytes of text kept at most: the tiered 10,000-page hub keeps 9 MiB, its
/// 100,000 pages 60 MiB; this bounds a theme that passes big values.
const BUDGET: usize = 128 << 20;

/// Texts a partial keeps before its reuse is judged; after that it keeps
/// more only while one in ten is reused (the theme's cards are reused 1.6
/// times each, icons and the menu thousands of times; a partial given
/// each page's own values never is).
const PROBATION: usize = 2_000;

impl Texts {
    fn may_keep(&self, name: &str, len: usize) -> bool {
        let (kept, reused) = self.uses.get(name).copied().unwrap_or_default();
        self.bytes + len <= BUDGET && (kept < PROBATION || reused * 10 >= kept)
    }
}

/// One rendered partial and the key it was rendered for. The key's values
/// are kept (they are shared, not copied), so the maps they point to stay
/// alive and their addresses are never reused for other maps while cached.
struct Entry {
    name: Box<str>,
    hearth: u32,
    args: Vec<(Box<str>, Value)>,
    text: Value,
}

/// The `hearth` values seen: the same content under one number, so the
/// copies the worker threads hold share their cached texts.
#[derive(Default)]
struct Hearths {
    /// By the address of the value's map (the value is kept, see [`Entry`]).
    by_address: FxHashMap<usize, (Value, u32)>,
    distinct: Vec<Value>,
}

thread_local! {
    /// The first error of a partial rendered on this thread during the
    /// current top-level render: Tera reports a function's failure at the
    /// call, so the renderer takes this one to name the partial's own line.
    static FAILED: RefCell<Option<tera::Error>> = const { RefCell::new(None) };
}

/// Forgets an error left by an earlier render on this thread.
pub(super) fn clear_failure() {
    FAILED.with(|f| f.borrow_mut().take());
}

/// The error of a partial that made the current render fail, if one did.
pub(super) fn take_failure() -> Option<tera::Error> {
    FAILED.with(|f| f.borrow_mut().take())
}

impl Partials {
    /// Registers `partial` on `tera`; [`Partials::attach`] must follow
    /// once `tera` is shared.
    pub(super) fn register(self: &std::sync::Arc<Self>, tera: &mut Tera) {
        let me = std::sync::Arc::clone(self);
        tera.register_function(
            "partial",
            move |kwargs: tera::Kwargs, state: &tera::State| me.call(&kwargs, state),
        );
    }

    /// Gives the function the Tera it renders with.
    pub(super) fn attach(&self, tera: &std::sync::Arc<Tera>) {
        let _ = self.tera.set(std::sync::Arc::downgrade(tera));
    }

    /// Drops every cached text (`serve`, when the site it renders changes:
    /// they would still be right, but would pile up).
    pub(super) fn clear(&self) {
        *self.texts.lock().unwrap_or_else(|e| e.into_inner()) = Texts::default();
        *self.hearths.lock().unwrap_or_else(|e| e.into_inner()) = Hearths::default();
        self.calls.store(0, std::sync::atomic::Ordering::Relaxed);
        self.renders.store(0, std::sync::atomic::Ordering::Relaxed);
    }

    /// Per partial, texts kept and reuses of them, by name.
    pub(super) fn uses(&self) -> Vec<(String, usize, usize)> {
        let texts = self.texts.lock().unwrap_or_else(|e| e.into_inner());
        let mut u: Vec<_> = texts
            .uses
            .iter()
            .map(|(n, (k, r))| (n.to_string(), *k, *r))
            .collect();
        u.sort();
        u
    }

    /// Calls, renders and bytes of text kept since the last [`Partials::clear`].
    pub(super) fn counts(&self) -> (usize, usize, usize) {
        use std::sync::atomic::Ordering::Relaxed;
        let bytes = self.texts.lock().unwrap_or_else(|e| e.into_inner()).bytes;
        (self.calls.load(Relaxed), self.renders.load(Relaxed), bytes)
    }

    fn call(&self, kwargs: &tera::Kwargs, state: &tera::State) -> tera::TeraResult<Value> {
        if crate::timings::enabled() {
            self.calls
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let name: &str = kwargs.must_get("name")?;
        let args: Vec<(&str, &Value)> = kwargs
            .iter()
            .filter_map(|(k, v)| Some((k.as_str()?, v)))
            .filter(|(k, _)| *k != "name")
            .collect();
        let hearth: Option<Value> = state.get("hearth").ok().flatten();
        let token = hearth.as_ref().map_or(u32::MAX, |h| self.hearth_token(h));

        let mut h = FxHasher::default();
        name.hash(&mut h);
        token.hash(&mut h);
        for (k, v) in &args {
            k.hash(&mut h);
            hash_value(v, &mut h);
        }
        let hash = h.finish();
        let matches = |e: &Entry| {
            *e.name == *name
                && e.hearth == token
                && e.args.len() == args.len()
                && e.args
                    .iter()
                    .zip(&args)
                    .all(|((k1, v1), (k2, v2))| **k1 == **k2 && same(v1, v2))
        };
        {
            let mut texts = self.texts.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(text) = texts
                .by_hash
                .get(&hash)
                .and_then(|es| es.iter().find(|e| matches(e)))
                .map(|e| e.text.clone())
            {
                if let Some(u) = texts.uses.get_mut(name) {
                    u.1 += 1;
                }
                return Ok(text);
            }
        }

        if crate::timings::enabled() {
            self.renders
                .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        }
        let tera = self
            .tera
            .get()
            .and_then(Weak::upgrade)
            .ok_or_else(|| tera::Error::message("partial() is not available here"))?;
        let mut ctx = Context::new();
        if let Some(h) = &hearth {
            ctx.insert_value("hearth", h.clone());
        }
        for (k, v) in &args {
            ctx.insert_value(k.to_string(), (*v).clone());
        }
        let mut out = Vec::with_capacity(1024);
        if let Err(e) = tera.render_to(name, &ctx, &mut out) {
            let message = format!("in partial `{name}`: {e}");
            FAILED.with(|f| {
                let mut f = f.borrow_mut();
                if f.is_none() {
                    *f = Some(e);
                }
            });
            return Err(tera::Error::message(message));
        }
        // Tera writes strings only: checked, not repaired, in one pass.
        let text = match std::str::from_utf8(&out) {
            Ok(s) => Value::safe_string(s),
            Err(_) => Value::safe_string(&String::from_utf8_lossy(&out)),
        };
        let len = out.len();
        let mut texts = self.texts.lock().unwrap_or_else(|e| e.into_inner());
        if !texts.may_keep(name, len) {
            return Ok(text);
        }
        let entry = Entry {
            name: name.into(),
            hearth: token,
            args: args
                .iter()
                .map(|(k, v)| (Box::from(*k), (*v).clone()))
                .collect(),
            text: text.clone(),
        };
        let slot = texts.by_hash.entry(hash).or_default();
        // Another thread may have rendered the same meanwhile (alike).
        if !slot.iter().any(matches) {
            slot.push(entry);
            texts.bytes += len;
            match texts.uses.get_mut(name) {
                Some(u) => u.0 += 1,
                None => {
                    texts.uses.insert(name.into(), (1, 0));
                }
            }
        }
        Ok(text)
    }

    /// The number of `hearth`'s content: by address when seen before, else
    /// by comparing with each distinct content (a few per build).
    fn hearth_token(&self, h: &Value) -> u32 {
        let address = h.as_map().map(|m| std::ptr::from_ref(m) as usize);
        let mut hs = self.hearths.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(a) = address
            && let Some((_, t)) = hs.by_address.get(&a)
        {
            return *t;
        }
        let t = match hs.distinct.iter().position(|d| same(d, h)) {
            Some(i) => i as u32,
            None => {
                hs.distinct.push(h.clone());
                (hs.distinct.len() - 1) as u32
            }
        };
        if let Some(a) = address {
            hs.by_address.insert(a, (h.clone(), t));
        }
        t
    }
}

/// Hashes a key value cheaply: maps and arrays by address (the cards and
/// events the theme passes are made once and shared, so one card is one
/// map wherever it is listed), everything else by content. Equal content
/// at two addresses hashes apart, which costs a render, never a wrong
/// text: a hit is confirmed with [`same`].
fn hash_value(v: &Value, h: &mut FxHasher) {
    if let Some(m) = v.as_map() {
        h.write_u8(1);
        h.write_usize(std::ptr::from_ref(m) as usize);
    } else if let Some(a) = v.as_array() {
        h.write_u8(2);
        h.write_usize(a.as_ptr() as usize);
    } else if let Some(s) = v.as_str() {
        h.write_u8(if v.is_safe() { 3 } else { 4 });
        h.write(s.as_bytes());
        h.write_u8(0xff);
    } else if let Some(b) = v.as_bool() {
        h.write_u8(5);
        h.write_u8(u8::from(b));
    } else if v.is_f64() {
        h.write_u8(6);
        h.write_u64(v.as_f64().map_or(0, f64::to_bits));
    } else if v.is_number() {
        h.write_u8(7);
        h.write_u128(v.as_i128().map_or(0, |n| n as u128));
        h.write_u128(v.as_u128().unwrap_or(0));
    } else if let Some(b) = v.as_bytes() {
        h.write_u8(8);
        h.write(b);
    } else {
        h.write_u8(if v.is_none() { 9 } else { 10 });
    }
}

/// Whether two values render alike wherever a template prints, loops over
/// or tests them: Tera's own `==` calls `1` and `1.0`, a safe and a plain
/// string, and maps in another order equal, which print differently.
fn same(a: &Value, b: &Value) -> bool {
    if let (Some(x), Some(y)) = (a.as_map(), b.as_map()) {
        return std::ptr::eq(x, y)
            || (x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|((k1, v1), (k2, v2))| k1 == k2 && same(v1, v2)));
    }
    if let (Some(x), Some(y)) = (a.as_array(), b.as_array()) {
        return std::ptr::eq(x, y)
            || (x.len() == y.len() && x.iter().zip(y.iter()).all(|(v1, v2)| same(v1, v2)));
    }
    if let (Some(x), Some(y)) = (a.as_str(), b.as_str()) {
        return x == y && a.is_safe() == b.is_safe();
    }
    let numeric = |v: &Value| (v.is_f64(), v.is_i64(), v.is_u64(), v.is_i128(), v.is_u128());
    if a.is_number() || b.is_number() {
        return numeric(a) == numeric(b)
            && if a.is_f64() {
                a.as_f64().map(f64::to_bits) == b.as_f64().map(f64::to_bits)
            } else {
                a.as_i128() == b.as_i128() && a.as_u128() == b.as_u128()
            };
    }
    if a.is_map() || b.is_map() || a.is_array() || b.is_array() || a.is_string() || b.is_string() {
        return false;
    }
    a.as_bool() == b.as_bool()
        && a.as_bytes() == b.as_bytes()
        && a.is_none() == b.is_none()
        && a.is_undefined() == b.is_undefined()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(json: &str) -> Value {
        Value::from_serializable(&serde_json::from_str::<serde_json::Value>(json).unwrap())
    }

    /// A map whose keys keep the order given (JSON text would sort them).
    fn ordered(pairs: &[(&'static str, u64)]) -> Value {
        let mut m = tera::Map::default();
        for (k, n) in pairs {
            m.insert((*k).into(), Value::from(*n));
        }
        Value::from(m)
    }

    fn hash(x: &Value) -> u64 {
        let mut h = FxHasher::default();
        hash_value(x, &mut h);
        h.finish()
    }

    #[test]
    fn values_that_print_differently_are_not_the_same() {
        let pairs = [
            (v("1"), v("1.0")),
            (
                ordered(&[("a", 1), ("b", 2)]),
                ordered(&[("b", 2), ("a", 1)]),
            ),
            (Value::safe_string("<b>"), Value::from("<b>")),
            (v("null"), Value::undefined()),
            (v("[1, 2]"), v("[2, 1]")),
            (v(r#"{"locked": true}"#), v(r#"{"locked": false}"#)),
            (v(r#""1""#), v("1")),
        ];
        for (a, b) in pairs {
            assert!(!same(&a, &b), "{a:?} vs {b:?}");
            assert!(same(&a, &a.clone()) && same(&b, &b.clone()));
        }
    }

    #[test]
    fn texts_are_kept_within_the_budget_and_while_they_are_reused() {
        let mut t = Texts::default();
        assert!(t.may_keep("partials/card.html", 1000));
        t.uses
            .insert("partials/card.html".into(), (PROBATION, PROBATION / 10));
        assert!(t.may_keep("partials/card.html", 1000));
        t.uses.insert(
            "partials/per-page.html".into(),
            (PROBATION, PROBATION / 10 - 1),
        );
        assert!(!t.may_keep("partials/per-page.html", 1000));
        assert!(t.may_keep("partials/new.html", 1000));
        t.bytes = BUDGET - 999;
        assert!(!t.may_keep("partials/card.html", 1000));
    }

    #[test]
    fn equal_content_is_the_same_and_a_shared_value_hashes_alike() {
        let a = v(r#"{"title": "读书会 · Book Club", "tags": [{"name": "书"}], "n": 3}"#);
        let b = v(r#"{"title": "读书会 · Book Club", "tags": [{"name": "书"}], "n": 3}"#);
        assert!(same(&a, &b));
        assert_eq!(hash(&a), hash(&a.clone()));
        assert_eq!(hash(&v(r#""书""#)), hash(&v(r#""书""#)));
        assert_ne!(hash(&v(r#""书""#)), hash(&Value::safe_string("书")));
    }
}
