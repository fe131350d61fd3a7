//! Fitting the model estimate to every published figure.
//!
//! The unknowns are the FTE per year, province and sector. Each published figure of
//! `baseline/published.toml` is a linear statement about them: a level (a sum of cells), a change
//! over the year before (in FTE, in percent, or only its direction), the share of a year's growth
//! in the Randstad, or an order of provinces. The fit goes in three steps.
//!
//! 1. **Conflicts.** When no distribution meets every figure within the interval its wording
//!    allows (checked by a linear program), a deletion filter finds a smallest set of figures that
//!    cannot hold together; the figure listed last in the file gives way, the conflict is recorded,
//!    and the check runs again.
//! 2. **Best readings.** In file order, each figure is held at its best reading (the value for an
//!    exact figure, the middle of its interval for "bijna", "ruim" or "ongeveer", the stated
//!    percentage) when the other figures allow it; otherwise it keeps its interval.
//! 3. **The closest distribution.** Among the distributions that meet the figures so held, the
//!    one closest in Kullback-Leibler divergence (the measure iterative proportional fitting
//!    minimises) to a prior in which each year's split over provinces and sectors is the average
//!    of its neighbouring years' fitted splits, mixed with the model's split of
//!    `baseline/estimate.toml` in the proportion `prior_weight`. So a province keeps its share
//!    from one year to the next unless a published figure says otherwise. The splits are found by
//!    fixed-point rounds (with Aitken's extrapolation); inside each round the projections are
//!    Bregman projections (a generalised iterative proportional fitting with a dual variable per
//!    statement, so that inequalities are met exactly at convergence).

use microlp::{ComparisonOp, OptimizationDirection, Problem};
use serde::Serialize;

use crate::model::{ChangeMeasure, Published, Subject, World};

/// A statement is met when it is off by at most this (FTE, or FTE-equivalent).
const TOLERANCE: f64 = 1e-6;
/// At most this many sweeps over the statements.
const MAX_SWEEPS: usize = 200_000;
/// "More FTE than" in an order means at least this many more.
const ORDER_MARGIN: f64 = 1.0;

/// The cells of the fit: years, provinces and sectors, each sorted.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    pub years: Vec<i32>,
    pub provinces: Vec<String>,
    pub sectors: Vec<String>,
}

impl Grid {
    /// The years with a published national total, the provinces and the sectors of `world`.
    fn of(world: &World) -> Grid {
        let mut provinces: Vec<String> = world.provinces.iter().map(|p| p.code.clone()).collect();
        provinces.sort();
        let mut sectors = world.settings.sectors.clone();
        sectors.sort();
        Grid {
            years: world.published.total_years(),
            provinces,
            sectors,
        }
    }

    fn len(&self) -> usize {
        self.years.len() * self.provinces.len() * self.sectors.len()
    }

    fn index(&self, y: usize, p: usize, s: usize) -> usize {
        (y * self.provinces.len() + p) * self.sectors.len() + s
    }

    fn year(&self, y: i32) -> Option<usize> {
        self.years.iter().position(|x| *x == y)
    }

    /// The cells of a selection in a year, as `(cell, 1.0)` terms.
    fn select(&self, y: usize, province: Option<&str>, sector: Option<&str>) -> Vec<usize> {
        let mut out = Vec::new();
        for (p, pc) in self.provinces.iter().enumerate() {
            if province.is_some_and(|x| x != pc) {
                continue;
            }
            for (s, sc) in self.sectors.iter().enumerate() {
                if sector.is_some_and(|x| x != sc) {
                    continue;
                }
                out.push(self.index(y, p, s));
            }
        }
        out
    }
}

/// `lo <= sum(coef * x) <= hi`; either end may be infinite.
#[derive(Debug, Clone)]
struct Row {
    coef: Vec<(usize, f64)>,
    lo: f64,
    hi: f64,
}

impl Row {
    fn value(&self, x: &[f64]) -> f64 {
        self.coef.iter().map(|&(c, a)| a * x[c]).sum()
    }

    fn violation(&self, x: &[f64]) -> f64 {
        let v = self.value(x);
        (self.lo - v).max(v - self.hi).max(0.0)
    }
}

/// How one published figure fares in the fit.
#[derive(Debug, Clone, Serialize)]
pub struct FigureCheck {
    /// A short description, e.g. `Limburg (PV31), 1 January 2023`.
    pub figure: String,
    pub year: i32,
    /// `level`, `change-percent`, `change-fte`, `change-direction`, `randstad-share-of-growth`,
    /// `share` or `order`.
    pub kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub province: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sector: Option<String>,
    /// The figure as published (FTE, percent or share; 0 for an order; +1 up or -1 down for a
    /// direction).
    pub published: f64,
    /// The interval its wording allows.
    pub range: [f64; 2],
    /// The same quantity in the fitted baseline (for an order: the number of provinces out of
    /// place; for a direction: the change in FTE).
    pub fitted: f64,
    /// Fitted minus published (0 for an order or a direction).
    pub difference: f64,
    /// True when the fitted baseline meets the figure within its interval.
    pub within: bool,
    /// False when the figure gave way in a conflict.
    pub used: bool,
    pub approximate: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    pub source: String,
    pub evidence: String,
}

/// Figures that cannot all hold, and the one that gave way.
#[derive(Debug, Clone, Serialize)]
pub struct Conflict {
    pub figures: Vec<String>,
    pub gave_way: String,
}

/// The fitted distribution of FTE per year, province and sector, with how each published figure
/// fares.
#[derive(Debug, Clone)]
pub struct Fitted {
    pub grid: Grid,
    /// The prior (the model of `estimate.toml`), cell by cell.
    pub prior: Vec<f64>,
    /// The fitted cells.
    pub cells: Vec<f64>,
    /// Every published figure, in file order.
    pub checks: Vec<FigureCheck>,
    pub conflicts: Vec<Conflict>,
    /// Sweeps the fit needed.
    pub sweeps: usize,
}

impl Fitted {
    /// The fitted FTE of a province and sector in a year.
    pub fn cell(&self, year: i32, province: &str, sector: &str) -> Option<f64> {
        let y = self.grid.year(year)?;
        let p = self.grid.provinces.iter().position(|x| x == province)?;
        let s = self.grid.sectors.iter().position(|x| x == sector)?;
        Some(self.cells[self.grid.index(y, p, s)])
    }

    /// The checks of the published figures about a year, used or not.
    pub fn checks_for(&self, year: i32) -> impl Iterator<Item = &FigureCheck> {
        self.checks.iter().filter(move |c| c.year == year)
    }
}

/// A province as "Name (PVxx)", or the Netherlands.
fn place_name(world: &World, code: Option<&str>) -> String {
    match code {
        Some(code) => world
            .province(code)
            .map_or(code.to_string(), |x| format!("{} ({code})", x.name)),
        None => "the Netherlands".to_string(),
    }
}

/// A change as its figure states it: a signed per cent, signed FTE, or a direction.
fn change_words(measure: ChangeMeasure, value: f64) -> String {
    match measure {
        ChangeMeasure::Percent => format!("{value:+}%"),
        ChangeMeasure::Fte => format!("{value:+} FTE"),
        ChangeMeasure::Direction(up) => if up { "up" } else { "down" }.to_string(),
    }
}

/// A description of a figure for messages and the report.
fn describe(world: &World, f: &Published) -> String {
    let place = |p: &Option<String>| place_name(world, p.as_deref());
    let sector = |s: &Option<String>| s.as_ref().map_or(String::new(), |s| format!(", {s}"));
    match &f.subject {
        Subject::Level {
            province,
            sector: sc,
        } => format!(
            "{}{}, 1 January {}: {}{} FTE",
            place(province),
            sector(sc),
            f.year,
            if f.approximate { "about " } else { "" },
            f.value
        ),
        Subject::Change {
            province,
            sector: sc,
            measure,
        } => format!(
            "{}{}, change {} to {}: {}",
            place(province),
            sector(sc),
            f.year - 1,
            f.year,
            change_words(*measure, f.value)
        ),
        Subject::RandstadShareOfGrowth => format!(
            "share of the growth {} to {} in the Randstad: {}%",
            f.year - 1,
            f.year,
            f.value * 100.0
        ),
        Subject::Share { provinces } => format!(
            "share of {} in the national total, 1 January {}: {}%",
            provinces.join(" + "),
            f.year,
            f.value * 100.0
        ),
        Subject::Order { province, higher } => format!(
            "{} in 1 January {}: {}",
            place(&Some(province.clone())),
            f.year,
            if higher.is_empty() {
                "the most of all provinces".to_string()
            } else {
                format!("fewer only than {}", higher.join(", "))
            }
        ),
    }
}

/// How a figure is held in the fit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Hold {
    /// Anywhere in the interval its wording allows.
    Interval,
    /// At its best reading: the middle of its interval (the value itself when exact).
    Best,
}

/// The interval a figure is held to.
fn bounds(f: &Published, hold: Hold) -> (f64, f64) {
    match hold {
        Hold::Interval => f.range,
        Hold::Best => {
            let mid = 0.5 * (f.range.0 + f.range.1);
            (mid, mid)
        }
    }
}

/// The rows of a figure whose statement is `sum(coef(k) x) = 0` at the value `k`: held at its best
/// reading, one equality; held in its interval `[lo, hi]`, the two inequalities at the ends (the
/// row's value falls as `k` rises).
fn interval_rows(f: &Published, hold: Hold, coef: impl Fn(f64) -> Vec<(usize, f64)>) -> Vec<Row> {
    let (lo, hi) = bounds(f, hold);
    if lo == hi {
        return vec![Row {
            coef: coef(lo),
            lo: 0.0,
            hi: 0.0,
        }];
    }
    vec![
        Row {
            coef: coef(hi),
            lo: f64::NEG_INFINITY,
            hi: 0.0,
        },
        Row {
            coef: coef(lo),
            lo: 0.0,
            hi: f64::INFINITY,
        },
    ]
}

/// The linear statements of a figure held as `hold`.
fn rows(world: &World, g: &Grid, f: &Published, hold: Hold) -> Vec<Row> {
    let Some(y) = g.year(f.year) else {
        return Vec::new();
    };
    let prev = g.year(f.year - 1);
    match &f.subject {
        Subject::Level { province, sector } => {
            let (lo, hi) = bounds(f, hold);
            vec![Row {
                coef: ones(g.select(y, province.as_deref(), sector.as_deref()), 1.0).collect(),
                lo,
                hi,
            }]
        }
        Subject::Change {
            province,
            sector,
            measure,
        } => match prev {
            Some(py) => change_rows(g, f, hold, (y, py), (province, sector), *measure),
            None => Vec::new(),
        },
        Subject::RandstadShareOfGrowth => match prev {
            Some(py) => growth_share_rows(world, g, f, hold, y, py),
            None => Vec::new(),
        },
        Subject::Share { provinces } => {
            // sum over the provinces - s x the national total, for the two ends of the interval.
            let with_share = |share: f64| -> Vec<(usize, f64)> {
                let mut coef = Vec::new();
                for (p, pc) in g.provinces.iter().enumerate() {
                    let inside = if provinces.contains(pc) { 1.0 } else { 0.0 };
                    for si in 0..g.sectors.len() {
                        coef.push((g.index(y, p, si), inside - share));
                    }
                }
                coef
            };
            interval_rows(f, hold, with_share)
        }
        Subject::Order { province, higher } => order_rows(g, y, province, higher),
    }
}

/// Each cell with coefficient `a`.
fn ones(cells: Vec<usize>, a: f64) -> impl Iterator<Item = (usize, f64)> {
    cells.into_iter().map(move |c| (c, a))
}

/// A change on the year before (`years` = this year, the year before) of a province and/or
/// sector: in FTE, in percent, or only its direction.
fn change_rows(
    g: &Grid,
    f: &Published,
    hold: Hold,
    (y, py): (usize, usize),
    (province, sector): (&Option<String>, &Option<String>),
    measure: ChangeMeasure,
) -> Vec<Row> {
    let now = g.select(y, province.as_deref(), sector.as_deref());
    let before = g.select(py, province.as_deref(), sector.as_deref());
    // now - k * before, as a row.
    let diff = |k: f64| -> Vec<(usize, f64)> {
        ones(now.clone(), 1.0)
            .chain(ones(before.clone(), -k))
            .collect()
    };
    match measure {
        ChangeMeasure::Fte => {
            let (lo, hi) = bounds(f, hold);
            vec![Row {
                coef: diff(1.0),
                lo,
                hi,
            }]
        }
        ChangeMeasure::Percent => interval_rows(f, hold, |pc| diff(1.0 + pc / 100.0)),
        // A published direction is strict: "afname" is a fall of at least ORDER_MARGIN FTE.
        ChangeMeasure::Direction(up) => vec![Row {
            coef: diff(1.0),
            lo: if up { ORDER_MARGIN } else { f64::NEG_INFINITY },
            hi: if up { f64::INFINITY } else { -ORDER_MARGIN },
        }],
    }
}

/// The Randstad's share of growth: (R_y - R_py) - s (T_y - T_py), for the two ends of the
/// share's interval.
fn growth_share_rows(
    world: &World,
    g: &Grid,
    f: &Published,
    hold: Hold,
    y: usize,
    py: usize,
) -> Vec<Row> {
    let with_share = |s: f64| -> Vec<(usize, f64)> {
        let mut coef = Vec::new();
        for (p, pc) in g.provinces.iter().enumerate() {
            let r = if world.in_randstad(pc) { 1.0 } else { 0.0 };
            for si in 0..g.sectors.len() {
                coef.push((g.index(y, p, si), r - s));
                coef.push((g.index(py, p, si), s - r));
            }
        }
        coef
    };
    interval_rows(f, hold, with_share)
}

/// `province` ranks below the provinces in `higher` and above the others, by a margin.
fn order_rows(g: &Grid, y: usize, province: &String, higher: &[String]) -> Vec<Row> {
    let me = g.select(y, Some(province), None);
    g.provinces
        .iter()
        .filter(|q| *q != province)
        .map(|q| {
            let other = g.select(y, Some(q), None);
            // `higher` provinces: other - me >= margin; the rest: me - other >= margin.
            let sign = if higher.contains(q) { 1.0 } else { -1.0 };
            Row {
                coef: ones(other, sign).chain(ones(me.clone(), -sign)).collect(),
                lo: ORDER_MARGIN,
                hi: f64::INFINITY,
            }
        })
        .collect()
}

/// The same quantity as a figure, in a distribution: `(fitted value, within its interval)`.
fn measure(world: &World, g: &Grid, f: &Published, x: &[f64]) -> (f64, bool) {
    let sum = |cells: Vec<usize>| cells.iter().map(|&c| x[c]).sum::<f64>();
    // Met to within the fit's tolerance (far below a rounding unit).
    let tol = 1e-3;
    let (Some(y), prev) = (g.year(f.year), g.year(f.year - 1)) else {
        return (f64::NAN, false);
    };
    match &f.subject {
        Subject::Level { province, sector } => {
            let v = sum(g.select(y, province.as_deref(), sector.as_deref()));
            (v, v >= f.range.0 - tol && v <= f.range.1 + tol)
        }
        Subject::Change {
            province,
            sector,
            measure,
        } => {
            let Some(py) = prev else {
                return (f64::NAN, false);
            };
            let now = sum(g.select(y, province.as_deref(), sector.as_deref()));
            let before = sum(g.select(py, province.as_deref(), sector.as_deref()));
            measure_change(f, *measure, now, before, tol)
        }
        Subject::RandstadShareOfGrowth => {
            let Some(py) = prev else {
                return (f64::NAN, false);
            };
            let share = randstad_share_of_growth(world, g, x, y, py);
            (share, share >= f.range.0 - tol && share <= f.range.1 + tol)
        }
        Subject::Share { provinces } => {
            let inside: f64 = provinces
                .iter()
                .map(|p| sum(g.select(y, Some(p), None)))
                .sum();
            let share = inside / sum(g.select(y, None, None));
            (share, share >= f.range.0 - tol && share <= f.range.1 + tol)
        }
        Subject::Order { province, higher } => {
            let wrong = wrong_side(g, x, y, province, higher);
            (wrong as f64, wrong == 0)
        }
    }
}

/// The Randstad's share of the growth from year index `py` to `y` in distribution `x`.
fn randstad_share_of_growth(world: &World, g: &Grid, x: &[f64], y: usize, py: usize) -> f64 {
    let sum = |cells: Vec<usize>| cells.iter().map(|&c| x[c]).sum::<f64>();
    let (mut r, mut t) = (0.0, 0.0);
    for pc in &g.provinces {
        let d = sum(g.select(y, Some(pc), None)) - sum(g.select(py, Some(pc), None));
        t += d;
        if world.in_randstad(pc) {
            r += d;
        }
    }
    r / t
}

/// How many provinces are on the wrong side of `province` in year index `y`: not above it
/// when named in `higher`, not below it otherwise.
fn wrong_side(g: &Grid, x: &[f64], y: usize, province: &str, higher: &[String]) -> usize {
    let sum = |cells: Vec<usize>| cells.iter().map(|&c| x[c]).sum::<f64>();
    let me = sum(g.select(y, Some(province), None));
    g.provinces
        .iter()
        .filter(|q| *q != province)
        .filter(|q| {
            let other = sum(g.select(y, Some(q), None));
            if higher.contains(q) {
                other <= me
            } else {
                other >= me
            }
        })
        .count()
}

/// A change from `before` to `now` as the figure measures it, and whether it is within the
/// figure's interval (or has its direction).
fn measure_change(
    f: &Published,
    measure: ChangeMeasure,
    now: f64,
    before: f64,
    tol: f64,
) -> (f64, bool) {
    match measure {
        ChangeMeasure::Fte => {
            let d = now - before;
            (d, d >= f.range.0 - tol && d <= f.range.1 + tol)
        }
        ChangeMeasure::Percent => {
            let pc = (now / before - 1.0) * 100.0;
            (pc, pc >= f.range.0 - tol && pc <= f.range.1 + tol)
        }
        ChangeMeasure::Direction(up) => {
            let d = now - before;
            (
                d,
                if up {
                    d >= ORDER_MARGIN - tol
                } else {
                    d <= -ORDER_MARGIN + tol
                },
            )
        }
    }
}

/// The model's split over provinces and sectors (`estimate.toml`): shares that add up to 1, in
/// the order of the grid's provinces and sectors.
fn model_split(world: &World, g: &Grid) -> Vec<f64> {
    let m = &world.estimate;
    let pop = |randstad: bool| -> f64 {
        world
            .provinces
            .iter()
            .filter(|p| world.in_randstad(&p.code) == randstad)
            .map(|p| p.population.value)
            .sum()
    };
    let (pop_r, pop_o) = (pop(true), pop(false));
    let key_total: f64 = m.sector_key.values().sum();
    let mut split = Vec::with_capacity(g.provinces.len() * g.sectors.len());
    for pc in &g.provinces {
        let prov = world.province(pc).expect("a province of the world");
        let share = if world.in_randstad(pc) {
            m.randstad_share.value * prov.population.value / pop_r
        } else {
            (1.0 - m.randstad_share.value) * prov.population.value / pop_o
        };
        for s in &g.sectors {
            let sector_share = if s == "ministeries" {
                m.ministries_share.value
            } else {
                (1.0 - m.ministries_share.value) * m.sector_key.get(s).copied().unwrap_or(0.0)
                    / key_total
            };
            split.push(share * sector_share);
        }
    }
    split
}

/// True when some distribution with non-negative cells meets every row.
fn feasible(n: usize, rows: &[&Row]) -> bool {
    let mut lp = Problem::new(OptimizationDirection::Minimize);
    let vars: Vec<_> = (0..n)
        .map(|_| lp.add_var(0.0, (0.0, f64::INFINITY)))
        .collect();
    for r in rows {
        let expr: Vec<(microlp::Variable, f64)> =
            r.coef.iter().map(|&(c, a)| (vars[c], a)).collect();
        if r.lo == r.hi {
            lp.add_constraint(expr.as_slice(), ComparisonOp::Eq, r.lo);
            continue;
        }
        if r.lo.is_finite() {
            lp.add_constraint(expr.as_slice(), ComparisonOp::Ge, r.lo);
        }
        if r.hi.is_finite() {
            lp.add_constraint(expr.as_slice(), ComparisonOp::Le, r.hi);
        }
    }
    lp.solve().is_ok()
}

/// Solves `sum a_c x_c exp(-d a_c) = t` for `d` (the left side falls as `d` rises); `None` when
/// `t` is out of its reach.
fn solve_step(row: &Row, x: &[f64], t: f64) -> Option<f64> {
    let f = |d: f64| -> (f64, f64) {
        let mut v = 0.0;
        let mut dv = 0.0;
        for &(c, a) in &row.coef {
            let e = x[c] * (-d * a).exp();
            v += a * e;
            dv -= a * a * e;
        }
        (v, dv)
    };
    // Bracket the root, then Newton steps kept inside the bracket (bisection when they leave it).
    let (mut lo, mut hi) = (-1.0, 1.0);
    let mut tries = 0;
    while f(lo).0 < t {
        lo *= 2.0;
        tries += 1;
        if tries > 60 {
            return None;
        }
    }
    tries = 0;
    while f(hi).0 > t {
        hi *= 2.0;
        tries += 1;
        if tries > 60 {
            return None;
        }
    }
    let mut d = 0.0f64.clamp(lo, hi);
    for _ in 0..200 {
        let (v, dv) = f(d);
        if (v - t).abs() <= 1e-12 * t.abs().max(1.0) {
            break;
        }
        if v > t {
            lo = d;
        } else {
            hi = d;
        }
        let next = if dv < 0.0 { d - (v - t) / dv } else { f64::NAN };
        d = if next.is_finite() && next > lo && next < hi {
            next
        } else {
            0.5 * (lo + hi)
        };
        if hi - lo < 1e-15 {
            break;
        }
    }
    Some(d)
}

/// Bregman projections, cyclically, with a dual variable per row: the distribution closest to
/// the prior (Kullback-Leibler) that meets every row. `z` holds the duals: start from the duals
/// of an earlier, nearby problem to save sweeps (zeros otherwise); they are updated in place.
fn project(prior: &[f64], rows: &[&Row], z: &mut [f64]) -> Result<(Vec<f64>, usize), String> {
    // The distribution the duals stand for: the prior times exp(-sum z_i a_i).
    let mut x = prior.to_vec();
    for (row, zi) in rows.iter().zip(z.iter()) {
        if *zi != 0.0 {
            for &(c, a) in &row.coef {
                x[c] *= (-zi * a).exp();
            }
        }
    }
    for sweep in 1..=MAX_SWEEPS {
        for (r, row) in rows.iter().enumerate() {
            // The step that would put the row at each end of its interval (the row's value falls
            // as the step grows), and the step that gives the dual back.
            let to_hi = if row.hi.is_finite() {
                solve_step(row, &x, row.hi).unwrap_or(f64::INFINITY)
            } else {
                f64::NEG_INFINITY
            };
            let to_lo = if row.lo.is_finite() {
                solve_step(row, &x, row.lo).unwrap_or(f64::NEG_INFINITY)
            } else {
                f64::INFINITY
            };
            let d = (-z[r]).max(to_hi).min(to_lo);
            if d != 0.0 && d.is_finite() {
                for &(c, a) in &row.coef {
                    x[c] *= (-d * a).exp();
                }
                z[r] += d;
            }
        }
        let worst = rows.iter().map(|r| r.violation(&x)).fold(0.0, f64::max);
        if worst <= TOLERANCE {
            return Ok((x, sweep));
        }
    }
    Err(format!(
        "the fit to the published figures did not converge in {MAX_SWEEPS} sweeps"
    ))
}

/// Step 3 of the fit: the distribution closest to a prior in which each year's split over
/// provinces and sectors is the average of its neighbouring years' fitted splits, mixed with the
/// model's split in the proportion `weight`. The splits are the fixed point of rounds (prior ->
/// projection -> new splits), accelerated by SQUAREM (Varadhan and Roland's squared extrapolation
/// for fixed-point iterations), with the projection's duals carried from round to round.
struct Smooth<'a> {
    rows: &'a [&'a Row],
    model: &'a [f64],
    totals: &'a [f64],
    weight: f64,
    duals: Vec<f64>,
    sweeps: usize,
}

impl Smooth<'_> {
    /// One round: the cells fitted to the prior of `split`, and the splits that follow from them.
    fn round(&mut self, split: &[f64]) -> Result<(Vec<f64>, Vec<f64>), String> {
        let per = self.model.len();
        let years = self.totals.len();
        let prior: Vec<f64> = split
            .iter()
            .enumerate()
            .map(|(i, s)| s * self.totals[i / per])
            .collect();
        let (x, sweeps) = project(&prior, self.rows, &mut self.duals)?;
        self.sweeps += sweeps;
        let share = |y: usize, k: usize| x[y * per + k] / self.totals[y];
        let mut next = Vec::with_capacity(split.len());
        for y in 0..years {
            // The year itself and its neighbours: averaging over the neighbours alone would make
            // the rounds swing between odd and even years.
            let neighbours: Vec<usize> =
                [y.checked_sub(1), Some(y), (y + 1 < years).then_some(y + 1)]
                    .into_iter()
                    .flatten()
                    .collect();
            // (1 - weight) x the neighbourhood's average split + weight x the model's split; both
            // add up to 1, so the row does too.
            let count = neighbours.len() as f64;
            next.extend((0..per).map(|k| {
                let near: f64 = neighbours.iter().map(|&n| share(n, k)).sum::<f64>() / count;
                (1.0 - self.weight) * near + self.weight * self.model[k]
            }));
        }
        Ok((x, next))
    }

    /// Rounds until the splits stop moving: `(cells, rounds)`.
    fn solve(&mut self) -> Result<(Vec<f64>, usize), String> {
        let per = self.model.len();
        let mut split: Vec<f64> = self
            .totals
            .iter()
            .flat_map(|_| self.model.iter().copied())
            .collect();
        let diff =
            |a: &[f64], b: &[f64]| -> Vec<f64> { a.iter().zip(b).map(|(x, y)| x - y).collect() };
        let norm = |v: &[f64]| v.iter().map(|x| x * x).sum::<f64>().sqrt();
        let largest = |v: &[f64]| v.iter().map(|x| x.abs()).fold(0.0, f64::max);
        let mut rounds = 0;
        while rounds < MAX_ROUNDS {
            let (x1, s1) = self.round(&split)?;
            rounds += 1;
            let r = diff(&s1, &split);
            tracing::trace!(rounds, change = largest(&r), "round");
            if largest(&r) < SPLIT_TOLERANCE {
                return Ok((x1, rounds));
            }
            let (_, s2) = self.round(&s1)?;
            rounds += 1;
            let v: Vec<f64> = s2
                .iter()
                .zip(&s1)
                .zip(&split)
                .map(|((a, b), c)| a - 2.0 * b + c)
                .collect();
            // The squared extrapolation, never shorter than two plain rounds.
            let alpha = (-norm(&r) / norm(&v)).min(-1.0);
            tracing::trace!(alpha, "squarem");
            let mut next: Vec<f64> = split
                .iter()
                .zip(&r)
                .zip(&v)
                .zip(&s2)
                .map(|(((s0, r), v), plain)| {
                    (s0 - 2.0 * alpha * r + alpha * alpha * v).max(0.5 * plain)
                })
                .collect();
            for row in next.chunks_mut(per) {
                let sum: f64 = row.iter().sum();
                row.iter_mut().for_each(|v| *v /= sum);
            }
            split = next;
        }
        Err(format!(
            "the fit to the published figures did not settle in {MAX_ROUNDS} rounds"
        ))
    }
}

/// Outer rounds of the common split at most, and the change in any share below which it stops.
const MAX_ROUNDS: usize = 20_000;
const SPLIT_TOLERANCE: f64 = 1e-9;

/// Fits the model to every published figure; figures that conflict give way in file order.
pub fn fit(world: &World) -> Result<Fitted, String> {
    let grid = Grid::of(world);
    if grid.years.is_empty() {
        return Err("no published national total: nothing to fit".into());
    }
    let figures = &world.published.figures;
    let readings = Readings::of(world, &grid);
    // How each figure is held: None when it gave way.
    let mut hold: Vec<Option<Hold>> = vec![Some(Hold::Interval); figures.len()];
    // 1. Conflicts.
    let conflicts = readings.resolve_conflicts(world, &mut hold)?;
    // 2. Best readings, in file order, where the other figures allow.
    readings.best_readings(figures, &mut hold);
    // 3. The closest distribution to a prior in which each year's split follows its neighbours'.
    let rows = readings.active(&hold);
    let model = model_split(world, &grid);
    let totals: Vec<f64> = grid
        .years
        .iter()
        .map(|y| world.published.total(*y).map_or(1.0, |t| t.value))
        .collect();
    let mut smooth = Smooth {
        rows: &rows,
        model: &model,
        totals: &totals,
        weight: world.estimate.prior_weight.value,
        duals: vec![0.0; rows.len()],
        sweeps: 0,
    };
    let (cells, rounds) = smooth.solve()?;
    let sweeps = smooth.sweeps;
    tracing::debug!(rounds, sweeps, "fitted the baseline");
    let prior = totals
        .iter()
        .flat_map(|t| model.iter().map(|m| m * t).collect::<Vec<_>>())
        .collect();
    let checks = figures
        .iter()
        .zip(&hold)
        .map(|(f, h)| figure_check(world, &grid, f, h.is_some(), &cells))
        .collect();
    Ok(Fitted {
        grid,
        prior,
        cells,
        checks,
        conflicts,
        sweeps,
    })
}

/// Every published figure as rows over the grid: held within its interval (`loose`) or at its
/// best reading (`tight`).
struct Readings {
    loose: Vec<Vec<Row>>,
    tight: Vec<Vec<Row>>,
    /// Cells of the grid.
    n: usize,
}

impl Readings {
    /// Every published figure of `world` read over `grid` both ways.
    fn of(world: &World, grid: &Grid) -> Readings {
        let figures = &world.published.figures;
        Readings {
            loose: figures
                .iter()
                .map(|f| rows(world, grid, f, Hold::Interval))
                .collect(),
            tight: figures
                .iter()
                .map(|f| rows(world, grid, f, Hold::Best))
                .collect(),
            n: grid.len(),
        }
    }

    /// The rows of the figures as held.
    fn active(&self, hold: &[Option<Hold>]) -> Vec<&Row> {
        hold.iter()
            .enumerate()
            .flat_map(|(i, h)| match h {
                Some(Hold::Interval) => self.loose[i].iter(),
                Some(Hold::Best) => self.tight[i].iter(),
                None => [].iter(),
            })
            .collect()
    }

    /// While the figures cannot hold together, finds a smallest set that cannot and lets its
    /// last figure in the file give way.
    fn resolve_conflicts(
        &self,
        world: &World,
        hold: &mut [Option<Hold>],
    ) -> Result<Vec<Conflict>, String> {
        let figures = &world.published.figures;
        let mut conflicts = Vec::new();
        while !feasible(self.n, &self.active(hold)) {
            // A deletion filter: drop each figure in turn unless the rest becomes feasible;
            // what stays is a smallest set that cannot hold together.
            let mut set = hold.to_vec();
            for i in 0..figures.len() {
                if set[i].is_some() {
                    let keep = set[i].take();
                    if feasible(self.n, &self.active(&set)) {
                        set[i] = keep;
                    }
                }
            }
            let members: Vec<usize> = (0..figures.len()).filter(|&i| set[i].is_some()).collect();
            let Some(&last) = members.iter().max_by_key(|&&i| figures[i].position) else {
                return Err("the published figures cannot hold together".into());
            };
            conflicts.push(Conflict {
                figures: members
                    .iter()
                    .map(|&i| describe(world, &figures[i]))
                    .collect(),
                gave_way: describe(world, &figures[last]),
            });
            hold[last] = None;
        }
        Ok(conflicts)
    }

    /// Each figure with an interval at its best reading, in file order, where the others allow.
    fn best_readings(&self, figures: &[Published], hold: &mut [Option<Hold>]) {
        let mut order: Vec<usize> = (0..figures.len()).collect();
        order.sort_by_key(|&i| figures[i].position);
        for i in order {
            if hold[i] == Some(Hold::Interval) && figures[i].range.0 < figures[i].range.1 {
                hold[i] = Some(Hold::Best);
                if !feasible(self.n, &self.active(hold)) {
                    hold[i] = Some(Hold::Interval);
                }
            }
        }
    }
}

/// How the fitted distribution reproduces published figure `f`.
/// The kind of a figure as the report and JSON name it.
fn kind(subject: &Subject) -> &'static str {
    match subject {
        Subject::Level { .. } => "level",
        Subject::Change { measure, .. } => match measure {
            ChangeMeasure::Percent => "change-percent",
            ChangeMeasure::Fte => "change-fte",
            ChangeMeasure::Direction(_) => "change-direction",
        },
        Subject::RandstadShareOfGrowth => "randstad-share-of-growth",
        Subject::Share { .. } => "share",
        Subject::Order { .. } => "order",
    }
}

fn figure_check(
    world: &World,
    grid: &Grid,
    f: &Published,
    used: bool,
    cells: &[f64],
) -> FigureCheck {
    let (fitted, within) = measure(world, grid, f, cells);
    let compare = matches!(
        f.subject,
        Subject::Level { .. }
            | Subject::RandstadShareOfGrowth
            | Subject::Share { .. }
            | Subject::Change {
                measure: ChangeMeasure::Percent | ChangeMeasure::Fte,
                ..
            }
    );
    // A direction is shown as +1 (up) or -1 (down).
    let published = match f.subject {
        Subject::Change {
            measure: ChangeMeasure::Direction(up),
            ..
        } => {
            if up {
                1.0
            } else {
                -1.0
            }
        }
        _ => f.value,
    };
    FigureCheck {
        figure: describe(world, f),
        year: f.year,
        kind: kind(&f.subject),
        province: f.province().map(String::from),
        sector: f.sector().map(String::from),
        published,
        range: [f.range.0, f.range.1],
        fitted,
        difference: if compare { fitted - f.value } else { 0.0 },
        within,
        used,
        approximate: f.approximate,
        note: f.note.clone(),
        source: f.source.clone(),
        evidence: f.evidence.clone(),
    }
}
