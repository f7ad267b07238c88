//! The search index's one tokenizer: [`crate::text::tokens`], so the index,
//! the queries, the glossary and similarity cut text the same way.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

pub const NAME: &str = "liaison";

#[derive(Clone, Default)]
pub struct Analyzer;

pub struct Stream {
    tokens: Vec<Token>,
    next: usize,
}

impl Tokenizer for Analyzer {
    type TokenStream<'a> = Stream;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Stream {
        let tokens = crate::text::tokens(text)
            .into_iter()
            .enumerate()
            .map(|(position, t)| Token {
                offset_from: t.from,
                offset_to: t.to,
                position,
                text: t.text,
                position_length: 1,
            })
            .collect();
        Stream { tokens, next: 0 }
    }
}

impl TokenStream for Stream {
    fn advance(&mut self) -> bool {
        self.next += 1;
        self.next <= self.tokens.len()
    }

    fn token(&self) -> &Token {
        &self.tokens[self.next - 1]
    }

    fn token_mut(&mut self) -> &mut Token {
        &mut self.tokens[self.next - 1]
    }
}
