//! Rendering: the templates every document is written from ([`templates`]), numbers, lists and
//! figures the reader's way ([`format`]), the engine's remarks in words ([`words`]) and the
//! reader's language.

pub mod format;
pub mod map;
pub mod templates;
pub mod words;

/// Language of the rendered advice text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Dutch, the default for the advice to the minister.
    #[default]
    Nl,
    En,
}
