//! Japanese (shinjitai) and traditional Chinese forms of Han characters,
//! mapped to the simplified form (`data/han_variants.csv`).

use std::collections::HashMap;
use std::sync::OnceLock;

const VARIANTS_CSV: &str = include_str!("../../data/han_variants.csv");

fn table() -> &'static HashMap<char, char> {
    static TABLE: OnceLock<HashMap<char, char>> = OnceLock::new();
    TABLE.get_or_init(|| {
        VARIANTS_CSV
            .lines()
            .skip(1)
            .filter_map(|line| {
                let mut cells = line.split(',').map(|cell| cell.trim().chars());
                let variant = cells.next()?.next()?;
                let simplified = cells.next()?.next()?;
                Some((variant, simplified))
            })
            .collect()
    })
}

pub fn simplified(c: char) -> char {
    table().get(&c).copied().unwrap_or(c)
}
