//! How alike two demands are, across languages.
//!
//! A demand is read two ways. Its **concepts** are the glossary entries
//! named in it, in whatever language: they are what lets a Korean demand
//! about 통관 meet a Chinese one about 通关. Its **terms** are the text's
//! own stemmed words and CJK pairs (Japanese and Chinese Han characters
//! folded to one form): they tell apart two demands that name the same
//! concepts about different things, and find a match the glossary lacks.
//! Each side is a vector weighted by how rare the feature is (tf–idf, the
//! title counting double), and the score is a weighted sum of the two
//! cosines.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::glossary::Matcher;
use crate::text;

/// How much each side counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    pub concepts: f32,
    pub terms: f32,
}

/// Tuned on `bench/cluster/dev.jsonl` and checked on
/// `bench/cluster/holdout.jsonl` (`cargo bench --bench cluster`).
pub const WEIGHTS: Weights = Weights {
    concepts: 0.6,
    terms: 0.6,
};
/// A mention in the title counts this many times.
const TITLE_REPEAT: f32 = 2.0;

/// A demand's features before weighting: concept indices and terms with
/// their (title-boosted) counts.
#[derive(Debug, Clone, Default)]
pub struct Profile {
    pub concepts: Vec<(usize, f32)>,
    pub terms: Vec<(String, f32)>,
}

impl Profile {
    pub fn read(matcher: &Matcher, title: &str, body: &str) -> Profile {
        let mut concepts: Vec<(usize, f32)> = Vec::new();
        let mut add_concepts = |text: &str, weight: f32| {
            for c in matcher.concepts_in(text) {
                match concepts.iter_mut().find(|(k, _)| *k == c) {
                    Some((_, w)) => *w += weight,
                    None => concepts.push((c, weight)),
                }
            }
        };
        add_concepts(title, TITLE_REPEAT);
        add_concepts(body, 1.0);
        let mut terms: HashMap<String, f32> = HashMap::new();
        for (text, weight) in [(title, TITLE_REPEAT), (body, 1.0)] {
            for token in text::tokens(text).iter().filter(|t| text::is_content(t)) {
                *terms.entry(token.text.clone()).or_default() += weight;
            }
        }
        let mut terms: Vec<(String, f32)> = terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        Profile { concepts, terms }
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

/// Profiles weighted against one collection: how rare each feature is
/// within it decides its weight.
pub struct Space {
    concepts: Vec<Vector>,
    terms: Vec<Vector>,
    /// Feature id → how many documents have it (concepts, then terms).
    concept_df: HashMap<u32, usize>,
    term_df: Vec<usize>,
    profiles_concepts: Vec<Vec<u32>>,
    weights: Weights,
}

impl Space {
    /// Weighs profiles by document frequencies counted in them.
    pub fn new(profiles: &[Profile]) -> Space {
        Space::with_weights(profiles, WEIGHTS)
    }

    pub fn with_weights(profiles: &[Profile], weights: Weights) -> Space {
        let mut term_ids: HashMap<&str, u32> = HashMap::new();
        let mut term_df: Vec<usize> = Vec::new();
        let mut concept_df: HashMap<u32, usize> = HashMap::new();
        for p in profiles {
            for (term, _) in &p.terms {
                let next = term_ids.len() as u32;
                let id = *term_ids.entry(term.as_str()).or_insert(next);
                if id as usize == term_df.len() {
                    term_df.push(0);
                }
                term_df[id as usize] += 1;
            }
            for &(c, _) in &p.concepts {
                *concept_df.entry(c as u32).or_default() += 1;
            }
        }
        let n = profiles.len();
        let (concepts, terms): (Vec<Vector>, Vec<Vector>) = profiles
            .par_iter()
            .map(|p| {
                let concepts = p
                    .concepts
                    .iter()
                    .map(|&(c, count)| (c as u32, damp(count) * idf(n, concept_df[&(c as u32)])))
                    .collect();
                let terms = p
                    .terms
                    .iter()
                    .map(|(t, count)| {
                        let id = term_ids[t.as_str()];
                        (id, damp(*count) * idf(n, term_df[id as usize]))
                    })
                    .collect();
                (unit(concepts), unit(terms))
            })
            .unzip();
        let profiles_concepts = concepts
            .iter()
            .map(|v| v.iter().map(|&(c, _)| c).collect())
            .collect();
        Space {
            concepts,
            terms,
            concept_df,
            term_df,
            profiles_concepts,
            weights,
        }
    }

    pub fn len(&self) -> usize {
        self.concepts.len()
    }

    pub fn is_empty(&self) -> bool {
        self.concepts.is_empty()
    }

    pub fn similarity(&self, a: usize, b: usize) -> f32 {
        self.weights.concepts * cosine(&self.concepts[a], &self.concepts[b])
            + self.weights.terms * cosine(&self.terms[a], &self.terms[b])
    }

    /// The concepts two documents share (glossary indices): why they match.
    pub fn shared_concepts(&self, a: usize, b: usize) -> Vec<usize> {
        self.profiles_concepts[a]
            .iter()
            .filter(|c| self.profiles_concepts[b].contains(c))
            .map(|&c| c as usize)
            .collect()
    }

    /// A document's features with how many documents share each, rarest
    /// first: where to look for its neighbours. Concept ids are returned
    /// as they are; term ids are offset past every concept id.
    pub(crate) fn features_by_rarity(&self, doc: usize) -> Vec<(u64, usize)> {
        let mut features: Vec<(u64, usize)> = self.concepts[doc]
            .iter()
            .map(|&(c, _)| (u64::from(c), self.concept_df[&c]))
            .chain(
                self.terms[doc]
                    .iter()
                    .map(|&(t, _)| ((1 << 32) | u64::from(t), self.term_df[t as usize])),
            )
            .collect();
        features.sort_by_key(|&(id, df)| (df, id));
        features
    }
}
