//! Japanese (shinjitai) and traditional Chinese forms of Han characters,
//! mapped to the simplified form (`data/han_variants.csv`).

use std::collections::HashMap;
use std::sync::OnceLock;

const VARIANTS_CSV: &str = include_str!("../../data/han_variants.csv");

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| super::char_table(VARIANTS_CSV))
}

pub fn simplified(c: char) -> char {
    table().get(&c).copied().unwrap_or(c)
}
