//! Grouping demands that are about the same problem.
//!
//! Average linkage over a sparse similarity graph: every demand starts
//! alone, and the two groups whose members are on average most alike merge,
//! until no two groups are alike enough ([`THRESHOLD`]). Averaging over
//! every pair of members (a pair never compared counts as unlike) keeps a
//! chain of look-alikes from pulling two different problems together: a
//! wrong merge costs a coordinator more than a missed one.
//!
//! Each demand is compared only with those that share its rarest features
//! (postings of concepts and terms, rarest first, a bounded number), so the
//! work grows with the number of demands, not with its square.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap};

use rayon::prelude::*;

use super::similarity::Space;

/// Two groups merge when their members' average similarity reaches this.
pub const THRESHOLD: f32 = 0.25;
/// Pairs less alike than this are not kept as neighbours at all.
const FLOOR: f32 = 0.1;
/// A feature shared by more documents than this is too common to look for
/// neighbours through.
const MAX_POSTING: usize = 512;
/// Postings read per document while looking for its neighbours.
const MAX_VISITS: usize = 8192;
/// Candidates scored exactly per document, and neighbours kept.
const MAX_CANDIDATES: usize = 64;

/// The group of each document: `groups[i]` is a number shared by the
/// documents grouped with document `i`, numbered from 0 in order of each
/// group's first document.
pub fn groups(space: &Space) -> Vec<usize> {
    groups_at(space, THRESHOLD)
}

/// [`groups`] with another threshold (for tuning).
pub fn groups_at(space: &Space, threshold: f32) -> Vec<usize> {
    let neighbours = neighbours(space);
    let mut linkage = Linkage::new(space.len(), &neighbours);
    linkage.merge_while(threshold);
    linkage.numbered()
}

/// Each document's most similar others (index, similarity), at least
/// [`FLOOR`] alike.
fn neighbours(space: &Space) -> Vec<Vec<(usize, f32)>> {
    let n = space.len();
    let features: Vec<Vec<(u64, usize)>> = (0..n)
        .into_par_iter()
        .map(|d| space.features_by_rarity(d))
        .collect();
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (doc, list) in features.iter().enumerate() {
        for &(feature, df) in list {
            if (2..=MAX_POSTING).contains(&df) {
                postings.entry(feature).or_default().push(doc);
            }
        }
    }
    (0..n)
        .into_par_iter()
        .map(|doc| {
            let mut shared: HashMap<usize, f32> = HashMap::new();
            let mut visits = 0;
            for &(feature, df) in &features[doc] {
                let Some(list) = postings.get(&feature) else {
                    continue;
                };
                if visits + list.len() > MAX_VISITS {
                    break;
                }
                visits += list.len();
                let weight = 1.0 / df as f32;
                for &other in list {
                    if other != doc {
                        *shared.entry(other).or_default() += weight;
                    }
                }
            }
            let mut candidates: Vec<(usize, f32)> = shared.into_iter().collect();
            candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            candidates.truncate(MAX_CANDIDATES);
            candidates
                .into_iter()
                .map(|(other, _)| (other, space.similarity(doc, other)))
                .filter(|&(_, s)| s >= FLOOR)
                .collect()
        })
        .collect()
}

/// A group's most alike neighbour, as it stood when the entry was made.
#[derive(PartialEq)]
struct Candidate {
    average: f32,
    group: usize,
    partner: usize,
    stamps: (u32, u32),
}

impl Eq for Candidate {}

impl Ord for Candidate {
    fn cmp(&self, other: &Self) -> Ordering {
        self.average
            .total_cmp(&other.average)
            // Ties go to the earlier documents, so the result is the same
            // on every run.
            .then_with(|| other.group.cmp(&self.group))
            .then_with(|| other.partner.cmp(&self.partner))
    }
}

impl PartialOrd for Candidate {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

/// Groups being merged: sizes, the summed similarity between each two
/// groups that have any, and a stamp that changes when a group does. The
/// heap holds each group's best partner; an entry whose groups changed
/// since is looked at again when it comes up (so merges happen in order of
/// average similarity, as far as a change elsewhere has not raised one).
struct Linkage {
    parent: Vec<usize>,
    size: Vec<usize>,
    links: Vec<HashMap<usize, f32>>,
    stamp: Vec<u32>,
    heap: BinaryHeap<Candidate>,
}

impl Linkage {
    fn new(n: usize, neighbours: &[Vec<(usize, f32)>]) -> Linkage {
        let mut links: Vec<HashMap<usize, f32>> = vec![HashMap::new(); n];
        for (a, list) in neighbours.iter().enumerate() {
            for &(b, s) in list {
                // Found from either side; counted once.
                links[a].insert(b, s);
                links[b].insert(a, s);
            }
        }
        let mut linkage = Linkage {
            parent: (0..n).collect(),
            size: vec![1; n],
            links,
            stamp: vec![0; n],
            heap: BinaryHeap::new(),
        };
        for group in 0..n {
            linkage.push_best(group);
        }
        linkage
    }

    fn average(&self, a: usize, b: usize, sum: f32) -> f32 {
        sum / (self.size[a] * self.size[b]) as f32
    }

    /// Queues `group`'s most alike neighbour now.
    fn push_best(&mut self, group: usize) {
        let best = self.links[group]
            .iter()
            .map(|(&other, &sum)| (self.average(group, other, sum), other))
            .max_by(|x, y| x.0.total_cmp(&y.0).then(y.1.cmp(&x.1)));
        if let Some((average, partner)) = best {
            self.heap.push(Candidate {
                average,
                group,
                partner,
                stamps: (self.stamp[group], self.stamp[partner]),
            });
        }
    }

    fn merge_while(&mut self, threshold: f32) {
        while let Some(c) = self.heap.pop() {
            if c.average < threshold {
                break;
            }
            if self.parent[c.group] != c.group {
                continue;
            }
            if self.parent[c.partner] != c.partner
                || (self.stamp[c.group], self.stamp[c.partner]) != c.stamps
            {
                self.push_best(c.group);
                continue;
            }
            let kept = self.merge(c.group, c.partner);
            self.push_best(kept);
        }
    }

    fn merge(&mut self, a: usize, b: usize) -> usize {
        let (keep, gone) = if self.size[a] >= self.size[b] {
            (a, b)
        } else {
            (b, a)
        };
        self.parent[gone] = keep;
        self.size[keep] += self.size[gone];
        self.stamp[keep] += 1;
        let gone_links = std::mem::take(&mut self.links[gone]);
        self.links[keep].remove(&gone);
        for (other, s) in gone_links {
            if other == keep {
                continue;
            }
            *self.links[keep].entry(other).or_default() += s;
            let back = &mut self.links[other];
            back.remove(&gone);
            *back.entry(keep).or_default() += s;
        }
        keep
    }

    fn root(&self, mut i: usize) -> usize {
        while self.parent[i] != i {
            i = self.parent[i];
        }
        i
    }

    fn numbered(&self) -> Vec<usize> {
        let mut numbers: HashMap<usize, usize> = HashMap::new();
        (0..self.parent.len())
            .map(|i| {
                let next = numbers.len();
                *numbers.entry(self.root(i)).or_insert(next)
            })
            .collect()
    }
}
