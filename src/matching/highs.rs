//! The HiGHS backend of the matching solver (cargo feature `highs`): the same mixed-integer
//! program as the builtin pair model, handed to HiGHS (branch and cut), solved to a relative gap
//! of 1e-9 like the builtin search. The tie rule afterwards is the builtin one, so both solvers
//! give the same assignment when the optimum is unique up to ties.

use std::ffi::CString;
use std::time::{Duration, Instant};

use highs::{Col, HighsModelStatus, RowProblem, Sense};

use super::{Assignment, FTE_TOL, Infeasible, Placement, Problem, Status, explain, objective};

/// The columns of the model: per service and location, the assignment variable.
type Cols = Vec<Vec<Option<Col>>>;

/// Builds the row-wise model: assignment columns (binary, or a share for a split service), each
/// service placed once, workplaces, services per location (a split service counts through a
/// binary indicator), region caps and the share outside the Randstad.
fn build(p: &Problem, eligible: &[Vec<bool>]) -> (RowProblem, Cols) {
    let mut pb = RowProblem::default();
    let n = p.n();
    let mut x: Cols = Vec::new();
    let mut y: Cols = Vec::new();
    let counted = p.count_row().is_some();
    for (si, s) in p.services.iter().enumerate() {
        let row: Vec<Option<Col>> = (0..n)
            .map(|l| {
                eligible[si][l].then(|| {
                    if s.split {
                        pb.add_column(p.value(si, l), 0.0..=1.0)
                    } else {
                        pb.add_integer_column(p.value(si, l), 0.0..=1.0)
                    }
                })
            })
            .collect();
        let ind: Vec<Option<Col>> = if s.split && counted {
            row.iter()
                .map(|c| {
                    c.map(|c| {
                        let v = pb.add_integer_column(0.0, 0.0..=1.0);
                        pb.add_row(..=0.0, [(c, 1.0), (v, -1.0)]);
                        v
                    })
                })
                .collect()
        } else {
            row.clone()
        };
        pb.add_row(1.0..=1.0, row.iter().flatten().map(|c| (*c, 1.0)));
        x.push(row);
        y.push(ind);
    }
    rows(p, &mut pb, &x, &y);
    (pb, x)
}

/// The constraints over locations, regions and the Randstad.
fn rows(p: &Problem, pb: &mut RowProblem, x: &Cols, y: &Cols) {
    let load = |l: usize| -> Vec<(Col, f64)> {
        p.services
            .iter()
            .zip(x)
            .filter_map(|(s, row)| row[l].map(|c| (c, s.fte)))
            .collect()
    };
    for l in 0..p.n() {
        if let Some(c) = p.cap_row(l) {
            pb.add_row(..=c, load(l));
        }
        if let Some(max) = p.count_row() {
            let e: Vec<(Col, f64)> = y.iter().filter_map(|r| r[l].map(|c| (c, 1.0))).collect();
            if e.len() > max {
                pb.add_row(..=max as f64, e);
            }
        }
    }
    for r in 0..p.region_cap.len() {
        if let Some(c) = p.region_row(r) {
            let e: Vec<(Col, f64)> = (0..p.n())
                .filter(|&l| p.region[l] == r)
                .flat_map(load)
                .collect();
            pb.add_row(..=c, e);
        }
    }
    if let Some(m) = p.min_outside_share {
        let e: Vec<(Col, f64)> = (0..p.n())
            .filter(|&l| !p.randstad[l])
            .flat_map(load)
            .collect();
        pb.add_row((m * p.total_fte() - FTE_TOL).., e);
    }
}

/// The number of branch-and-bound nodes HiGHS reports (an int64 value the safe wrapper cannot
/// read).
fn nodes(solved: &highs::SolvedModel) -> u64 {
    let name = CString::new("mip_node_count").expect("no NUL");
    let mut v: i64 = 0;
    // SAFETY: `solved` owns a live HiGHS instance for the duration of the call; the name is a
    // NUL-terminated string and `v` a valid i64 for HiGHS to write.
    let status =
        unsafe { highs_sys::Highs_getInt64InfoValue(solved.as_ptr(), name.as_ptr(), &mut v) };
    if status == highs_sys::STATUS_OK {
        v.max(0) as u64
    } else {
        0
    }
}

/// The model handed to HiGHS with the options of an exact, quiet, deterministic solve.
fn configured(pb: RowProblem, limit: Option<Duration>) -> highs::Model {
    let mut model = pb.optimise(Sense::Maximise);
    model.make_quiet();
    model.set_option("mip_rel_gap", 1e-9);
    model.set_option("mip_abs_gap", 1e-9);
    model.set_option("random_seed", 0);
    model.set_threads(std::num::NonZeroU32::MIN);
    if let Some(l) = limit {
        model.set_option("time_limit", l.as_secs_f64());
    }
    model
}

/// How HiGHS ended: optimal, stopped with a solution and its gap, or no assignment.
fn status(p: &Problem, solved: &highs::SolvedModel) -> Result<Status, Infeasible> {
    match solved.status() {
        HighsModelStatus::Optimal => Ok(Status::Optimal),
        HighsModelStatus::ReachedTimeLimit
            if solved.primal_solution_status() == highs::HighsSolutionStatus::Feasible =>
        {
            Ok(Status::TimeLimit {
                gap: solved.mip_gap().max(0.0),
            })
        }
        HighsModelStatus::ReachedTimeLimit => {
            let mut e = explain(p);
            e.timed_out = true;
            Err(e)
        }
        _ => Err(explain(p)),
    }
}

/// The placement in the column values: each service's locations with their shares; a service
/// that may not be split wholly at its largest.
fn placement(p: &Problem, x: &Cols, values: &[f64]) -> Placement {
    x.iter()
        .enumerate()
        .map(|(s, row)| {
            let mut pl: Vec<(usize, f64)> = row
                .iter()
                .enumerate()
                .filter_map(|(l, c)| c.map(|c| (l, values[c.index()])))
                .filter(|(_, v)| *v > 1e-9)
                .collect();
            if !p.services[s].split {
                pl.sort_by(|a, b| b.1.total_cmp(&a.1));
                pl.truncate(1);
                if let Some(first) = pl.first_mut() {
                    first.1 = 1.0;
                }
            }
            pl
        })
        .collect()
}

/// Solves the problem with HiGHS, exactly, or within `limit`.
pub(super) fn solve(p: &Problem, limit: Option<Duration>) -> Result<Assignment, Infeasible> {
    let start = Instant::now();
    let eligible = p.eligible();
    if eligible.iter().any(|row| !row.contains(&true)) {
        return Err(explain(p));
    }
    let pairs_eligible = eligible.iter().flatten().filter(|b| **b).count();
    let (pb, x) = build(p, &eligible);
    let solved = configured(pb, limit).solve();
    let status = status(p, &solved)?;
    let placed = placement(p, &x, solved.get_solution().columns());
    let placed = super::prefer_lower_index(p, placed);
    Ok(Assignment {
        objective: objective(p, &placed),
        placed,
        status,
        bound: solved
            .double_info_value(c"mip_dual_bound")
            .unwrap_or(f64::NAN),
        seconds: start.elapsed().as_secs_f64(),
        pairs_kept: pairs_eligible,
        pairs_eligible,
        nodes: nodes(&solved),
    })
}
