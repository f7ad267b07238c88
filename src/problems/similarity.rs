//! How alike two demands are, across languages.
//!
//! A demand is read three ways. Its **concepts** are the glossary entries
//! named in it, in whatever language: they let a Korean demand about 통관
//! meet a Chinese one about 通关 and an English one about customs
//! clearance. Its **terms** are the text's own stemmed words and CJK pairs
//! (Japanese and Chinese Han characters folded to one form): they tell
//! apart two demands that name the same concepts about different things.
//! Its **sounds** are its CJK pairs read in Korean (通关 and 통관 both
//! sound 통관): most administrative Korean is Sino-Korean, so this finds
//! what the glossary lacks between Korean and Chinese or Japanese.
//! Each side is a vector weighted by how rare each feature is (tf–idf, the
//! title counting double), and the score is a weighted sum of the cosines.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::glossary::Matcher;
use crate::text;

/// How much each side counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub concepts: f32,
    /// How much agreeing on what is wrong (the glossary's `aspect` domain:
    /// delayed, too expensive, interrupted, ...) decides between two
    /// demands on the same subject: their subject score is scaled between
    /// `1 - aspects` (nothing in common) and 1 (the same aspects).
    pub aspects: f32,
    pub terms: f32,
    pub sounds: f32,
}

/// Tuned on `bench/cluster/dev.jsonl` and checked on
/// `bench/cluster/holdout.jsonl` (`cargo bench --bench cluster`).
pub const WEIGHTS: Weights = Weights {
    concepts: 1.0,
    aspects: 0.7,
    terms: 0.4,
    sounds: 0.4,
};

/// A mention in the title counts this many times.
const TITLE_REPEAT: f32 = 2.0;

/// A demand's features before weighting: (feature, title-boosted count) on
/// each side. Concepts are glossary indices.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub concepts: Vec<(usize, f32)>,
    /// Aspect concepts, kept apart from the subject ones.
    pub aspects: Vec<(usize, f32)>,
    pub terms: Vec<(String, f32)>,
    pub sounds: Vec<(String, f32)>,
}

fn counted(items: impl Iterator<Item = (String, f32)>) -> Vec<(String, f32)> {
    let mut counts: HashMap<String, f32> = HashMap::new();
    for (item, weight) in items {
        *counts.entry(item).or_default() += weight;
    }
    let mut out: Vec<(String, f32)> = counts.into_iter().collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

impl Profile {
    pub fn read(matcher: &Matcher, title: &str, body: &str) -> Profile {
        let mut concepts: Vec<(usize, f32)> = Vec::new();
        let mut aspects: Vec<(usize, f32)> = Vec::new();
        for (text, weight) in [(title, TITLE_REPEAT), (body, 1.0)] {
            for c in matcher.concepts_in(text) {
                let into = if matcher.concepts()[c].is_aspect() {
                    &mut aspects
                } else {
                    &mut concepts
                };
                match into.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, w)) => *w += weight,
                    None => into.push((c, weight)),
                }
            }
        }
        let title_tokens = text::tokens(title);
        let body_tokens = text::tokens(body);
        let parts = [(&title_tokens, TITLE_REPEAT), (&body_tokens, 1.0)];
        let terms = counted(parts.iter().flat_map(|(tokens, weight)| {
            tokens
                .iter()
                .filter(|t| text::is_content(t))
                .map(move |t| (t.text.clone(), *weight))
        }));
        let sounds = counted(parts.iter().flat_map(|(tokens, weight)| {
            text::korean_pairs(tokens)
                .into_iter()
                .map(move |s| (s, *weight))
        }));
        Profile {
            concepts,
            aspects,
            terms,
            sounds,
        }
    }
}

/// A sparse unit vector, sorted by feature id.
type Vector = Vec<(u32, f32)>;

fn cosine(a: &Vector, b: &Vector) -> f32 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                sum += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    sum
}

fn unit(mut v: Vector) -> Vector {
    v.sort_by_key(|&(id, _)| id);
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for (_, w) in &mut v {
            *w /= norm;
        }
    }
    v
}

fn idf(documents: usize, frequency: usize) -> f32 {
    ((documents as f32 + 1.0) / (frequency as f32 + 1.0)).ln() + 1.0
}

fn damp(count: f32) -> f32 {
    1.0 + count.ln().max(0.0)
}

/// One side of every document: ids, document frequencies, unit vectors.
struct Side {
    vectors: Vec<Vector>,
    df: Vec<usize>,
}

impl Side {
    /// `features[d]` are document d's (feature id, count).
    fn weigh(features: Vec<Vec<(u32, f32)>>, kinds: usize) -> Side {
        let n = features.len();
        let mut df = vec![0; kinds];
        for list in &features {
            for &(id, _) in list {
                df[id as usize] += 1;
            }
        }
        let vectors = features
            .into_par_iter()
            .map(|list| {
                unit(
                    list.into_iter()
                        .map(|(id, count)| (id, damp(count) * idf(n, df[id as usize])))
                        .collect(),
                )
            })
            .collect();
        Side { vectors, df }
    }

    fn interned(lists: Vec<&[(String, f32)]>) -> Side {
        let mut ids: HashMap<&str, u32> = HashMap::new();
        let features: Vec<Vec<(u32, f32)>> = lists
            .iter()
            .map(|list| {
                list.iter()
                    .map(|(f, count)| {
                        let next = ids.len() as u32;
                        (*ids.entry(f.as_str()).or_insert(next), *count)
                    })
                    .collect()
            })
            .collect();
        let kinds = ids.len();
        Side::weigh(features, kinds)
    }
}

/// Profiles weighted against one collection: how rare each feature is
/// within it decides its weight.
pub struct Space {
    /// Subject concepts, aspects, terms, sounds.
    sides: [Side; 4],
    concepts_of: Vec<Vec<u32>>,
    weights: Weights,
}

impl Space {
    pub fn new(profiles: &[Profile]) -> Space {
        Space::with_weights(profiles, WEIGHTS)
    }

    pub fn with_weights(profiles: &[Profile], weights: Weights) -> Space {
        let concept_kinds = profiles
            .iter()
            .flat_map(|p| p.concepts.iter().chain(&p.aspects).map(|&(c, _)| c + 1))
            .max()
            .unwrap_or(0);
        let weigh = |of: fn(&Profile) -> &Vec<(usize, f32)>| {
            Side::weigh(
                profiles
                    .iter()
                    .map(|p| of(p).iter().map(|&(c, w)| (c as u32, w)).collect())
                    .collect(),
                concept_kinds,
            )
        };
        let concepts = weigh(|p| &p.concepts);
        let aspects = weigh(|p| &p.aspects);
        let terms = Side::interned(profiles.iter().map(|p| p.terms.as_slice()).collect());
        let sounds = Side::interned(profiles.iter().map(|p| p.sounds.as_slice()).collect());
        let concepts_of = concepts
            .vectors
            .iter()
            .map(|v| v.iter().map(|&(c, _)| c).collect())
            .collect();
        Space {
            sides: [concepts, aspects, terms, sounds],
            concepts_of,
            weights,
        }
    }

    pub fn len(&self) -> usize {
        self.concepts_of.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts_of.is_empty()
    }

    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        let w = self.weights;
        let [c, asp, t, s] = &self.sides;
        let subject = cosine(&c.vectors[a], &c.vectors[b]);
        let agreement = if asp.vectors[a].is_empty() || asp.vectors[b].is_empty() {
            0.5
        } else {
            cosine(&asp.vectors[a], &asp.vectors[b])
        };
        w.concepts * subject * (1.0 - w.aspects + w.aspects * agreement)
            + w.terms * cosine(&t.vectors[a], &t.vectors[b])
            + w.sounds * cosine(&s.vectors[a], &s.vectors[b])
    }

    /// The concepts two documents share (glossary indices): why they match.
    pub fn shared_concepts(&self, a: usize, b: usize) -> Vec<usize> {
        self.concepts_of[a]
            .iter()
            .filter(|c| self.concepts_of[b].contains(c))
            .map(|&c| c as usize)
            .collect()
    }

    /// A document's features with how many documents share each, rarest
    /// first: where to look for its neighbours. The side is in the top
    /// bits of each feature id.
    pub(crate) fn features_by_rarity(&self, doc: usize) -> Vec<(u64, usize)> {
        let mut features: Vec<(u64, usize)> = self
            .sides
            .iter()
            .enumerate()
            .flat_map(|(side, s)| {
                s.vectors[doc]
                    .iter()
                    .map(move |&(id, _)| (((side as u64) << 32) | u64::from(id), s.df[id as usize]))
            })
            .collect();
        features.sort_by_key(|&(id, df)| (df, id));
        features
    }
}
