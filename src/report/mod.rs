//! The advice as data ([`model`]) and its renderers: a readable terminal table, JSON, and the
//! draft locatieadvies in Markdown (Dutch by default, English on request).

pub mod annual;
pub mod format;
pub mod gemeente;
pub mod letter;
pub mod model;
pub mod templates;
pub mod travel;

/// Language of the rendered advice text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    /// Dutch, the default for the advice to the minister.
    #[default]
    Nl,
    En,
}

/// Renders the advice as pretty JSON with a trailing newline.
pub fn json(advice: &model::Advice) -> String {
    let mut s = serde_json::to_string_pretty(advice).expect("the advice serialises");
    s.push('\n');
    s
}
