//! Maps from the shipped boundaries (`data/*.geojson`, CBS/Kadaster via PDOK, CC BY 4.0):
//! provinces, COROP areas and gemeenten as SVG paths, projected equirectangularly around 52.2° N
//! and fitted to a width, points closer than half a unit dropped.

use std::fmt::Write as _;
use std::sync::OnceLock;

use serde::Serialize;

/// A layer of the boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layer {
    Province,
    Corop,
    Gemeente,
}

/// One area: its code, name and rings (longitude, latitude).
struct Area {
    code: String,
    name: String,
    rings: Vec<Vec<(f64, f64)>>,
}

/// One area on a map.
#[derive(Debug, Clone, Serialize)]
pub struct Shape {
    pub code: String,
    pub name: String,
    /// SVG path data in the map's coordinates.
    pub d: String,
}

/// The shapes of a map and its size.
#[derive(Debug, Clone, Serialize)]
pub struct Outline {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

fn parse(text: &str) -> Vec<Area> {
    let g: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    let mut areas = Vec::new();
    for f in g["features"].as_array().into_iter().flatten() {
        let geometry = &f["geometry"];
        let polygons: Vec<&serde_json::Value> = match geometry["type"].as_str() {
            Some("Polygon") => vec![&geometry["coordinates"]],
            _ => geometry["coordinates"]
                .as_array()
                .into_iter()
                .flatten()
                .collect(),
        };
        let rings = polygons
            .into_iter()
            .flat_map(|p| p.as_array().into_iter().flatten())
            .map(|ring| {
                ring.as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|pt| Some((pt[0].as_f64()?, pt[1].as_f64()?)))
                    .collect()
            })
            .collect();
        areas.push(Area {
            code: f["properties"]["statcode"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            name: f["properties"]["statnaam"]
                .as_str()
                .unwrap_or("")
                .to_string(),
            rings,
        });
    }
    areas
}

fn areas(layer: Layer) -> &'static [Area] {
    static PROVINCES: OnceLock<Vec<Area>> = OnceLock::new();
    static COROPS: OnceLock<Vec<Area>> = OnceLock::new();
    static GEMEENTEN: OnceLock<Vec<Area>> = OnceLock::new();
    macro_rules! data {
        ($f:literal) => {
            include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/data/", $f))
        };
    }
    match layer {
        Layer::Province => PROVINCES.get_or_init(|| parse(data!("provincie_2025.geojson"))),
        Layer::Corop => COROPS.get_or_init(|| parse(data!("coropgebied_2025.geojson"))),
        Layer::Gemeente => GEMEENTEN.get_or_init(|| parse(data!("gemeente_2024.geojson"))),
    }
}

/// The areas of `layer` that `keep` accepts (by code), fitted to `width` units wide.
pub fn outline(layer: Layer, width: f64, keep: impl Fn(&str) -> bool) -> Outline {
    let k = 52.2f64.to_radians().cos();
    let kept: Vec<&Area> = areas(layer).iter().filter(|a| keep(&a.code)).collect();
    let points = || kept.iter().flat_map(|a| a.rings.iter().flatten());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(lon, lat) in points() {
        let x = lon * k;
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(lat), y1.max(lat));
    }
    if kept.is_empty() || x1 <= x0 {
        return Outline {
            width,
            height: 0.0,
            shapes: Vec::new(),
        };
    }
    let margin = 4.0;
    let scale = (width - 2.0 * margin) / (x1 - x0);
    let px = |lon: f64, lat: f64| (margin + (lon * k - x0) * scale, margin + (y1 - lat) * scale);
    let shapes = kept
        .iter()
        .map(|a| Shape {
            code: a.code.clone(),
            name: a.name.clone(),
            d: path(&a.rings, &px),
        })
        .collect();
    Outline {
        width,
        height: ((y1 - y0) * scale + 2.0 * margin).ceil(),
        shapes,
    }
}

/// SVG path data of rings; a point within half a unit of the last one drawn is left out.
fn path(rings: &[Vec<(f64, f64)>], px: &dyn Fn(f64, f64) -> (f64, f64)) -> String {
    let mut d = String::new();
    for ring in rings {
        let mut last: Option<(f64, f64)> = None;
        for (i, &(lon, lat)) in ring.iter().enumerate() {
            let (x, y) = px(lon, lat);
            if let Some((lx, ly)) = last
                && (x - lx).abs() < 0.5
                && (y - ly).abs() < 0.5
                && i + 1 < ring.len()
            {
                continue;
            }
            let _ = write!(d, "{}{x:.1},{y:.1}", if last.is_none() { "M" } else { "L" });
            last = Some((x, y));
        }
        d.push('Z');
    }
    d
}
