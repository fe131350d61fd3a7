//! Why a pipeline has no assignment: services that fit nowhere, and the constraint families
//! whose removal alone makes the relaxation feasible.

// Loops over (service, location) indices read more clearly than zipped iterators here.
#![allow(clippy::needless_range_loop)]

use microlp::SolveOptions;

use super::model::{model, run};
use super::{FTE_TOL, Family, Infeasible, Problem};

/// Is the LP relaxation, without `drop`, feasible?
pub(super) fn relaxation_feasible(p: &Problem, drop: Option<Family>) -> bool {
    let pairs = p
        .services
        .iter()
        .map(|s| s.scores.iter().map(Option::is_some).collect())
        .collect();
    run(&model(p, &pairs, true, drop), p, SolveOptions::default()).is_some()
}

/// Explains why a problem has no solution: services that fit nowhere, and the constraint families
/// whose removal alone makes the (relaxed) problem feasible.
pub fn explain(p: &Problem) -> Infeasible {
    let services = unplaceable(p);
    let mut reasons = capacity_reasons(p);
    let culprits = if services.is_empty() {
        culprit_families(p, &mut reasons)
    } else {
        Vec::new()
    };
    Infeasible {
        services,
        culprits,
        reasons,
        timed_out: false,
    }
}

/// Services that fit nowhere, with the reason.
fn unplaceable(p: &Problem) -> Vec<(usize, String)> {
    let mut services = Vec::new();
    let eligible = p.eligible();
    for (i, s) in p.services.iter().enumerate() {
        if s.scores.iter().all(Option::is_none) {
            services.push((
                i,
                "every location is excluded by its hard requirements".to_string(),
            ));
        } else if !eligible[i].iter().any(|b| *b) {
            let scored = (0..p.n()).filter(|&l| s.scores[l].is_some());
            let by_capacity = scored
                .clone()
                .all(|l| p.capacity[l].is_some_and(|c| s.fte > c + FTE_TOL));
            let why = if by_capacity {
                format!(
                    "needs {} workplaces, more than any of its feasible locations has",
                    s.fte
                )
            } else {
                format!(
                    "needs {} workplaces; where there are enough, the cap on FTE added in the region is lower",
                    s.fte
                )
            };
            services.push((i, why));
        }
    }
    services
}

/// Workplaces that cannot hold the pipeline at all, or not its share outside the Randstad.
fn capacity_reasons(p: &Problem) -> Vec<String> {
    let mut reasons = Vec::new();
    let total = p.total_fte();
    let cap_total: Option<f64> = p.capacity.iter().copied().sum();
    if let Some(c) = cap_total
        && c < total
    {
        reasons.push(format!(
            "the pipeline has {total} FTE but all locations together have {c} workplaces"
        ));
    }
    if let Some(m) = p.min_outside_share {
        let outside: Option<f64> = p
            .capacity
            .iter()
            .zip(&p.randstad)
            .filter(|(_, r)| !**r)
            .map(|(c, _)| *c)
            .sum();
        if let Some(o) = outside
            && o < m * total
        {
            reasons.push(format!("at least {} FTE must go outside the Randstad, but the locations there have {o} workplaces", m * total));
        }
    }
    reasons
}

/// The constraint families whose removal alone makes the relaxed problem feasible (or
/// integrality, when the relaxation is feasible as it stands).
fn culprit_families(p: &Problem, reasons: &mut Vec<String>) -> Vec<Family> {
    let mut culprits = Vec::new();
    let families = [
        Family::Capacity,
        Family::PerLocation,
        Family::RegionCap,
        Family::OutsideShare,
    ];
    // The relaxed problem tells whether integrality is the conflict.
    if relaxation_feasible(p, None) {
        culprits.push(Family::Integrality);
        reasons.push(
            "the constraints can be met only by splitting services that may not be split".into(),
        );
        return culprits;
    }
    for f in families {
        if relaxation_feasible(p, Some(f)) {
            culprits.push(f);
        }
    }
    if culprits.is_empty() {
        reasons
            .push("no single family of constraints is to blame: several conflict together".into());
    }
    culprits
}
