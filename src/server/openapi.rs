//! The API's OpenAPI 3.1 description, generated from the request and response types (their JSON
//! schemas, derived with schemars, become `components/schemas`) and a table of the routes. It is
//! committed as `schema/openapi.json`; a test fails when the two differ.

use schemars::SchemaGenerator;
use schemars::generate::SchemaSettings;
use serde_json::{Value, json};

use super::Problem;
use super::api::{
    AdviceStored, AdviseCase, AdviseRequest, CaseDetail, CaseList, Decision, Deliveries, Health,
    MatchRequest, NewCase, ScenarioRequest, ValidateRequest, Validation, Verification,
};
use super::dashboard::Spreading;
use crate::advice::model::Advice;
use crate::register::CaseRecord;

/// A type's schema, as a reference into `components/schemas` for named types.
type SchemaOf = fn(&mut SchemaGenerator) -> Value;

/// What an operation answers with on success.
enum Answer {
    /// A type with a derived schema.
    Typed(SchemaOf),
    /// The same JSON as a command line prints, described in words.
    SameAs(&'static str),
    /// A JSON object (this description itself).
    Object,
}

/// One operation: method, path, summary, and what it takes and gives.
struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    body: Option<SchemaOf>,
    ok: (u16, Answer),
    params: &'static [Param],
    write: bool,
}

/// A parameter: name, place (`path`, `query`), required, description.
type Param = (&'static str, &'static str, bool, &'static str);

fn of<T: schemars::JsonSchema>(g: &mut SchemaGenerator) -> Value {
    g.subschema_for::<T>().to_value()
}

const YEAR: &[Param] = &[(
    "year",
    "query",
    false,
    "the year (1 January); default the latest with data",
)];
const NUMBER: &[Param] = &[("number", "path", true, "the case number")];
const SPREADING: &[Param] = &[
    (
        "year",
        "query",
        false,
        "the year; default the latest with data",
    ),
    (
        "level",
        "query",
        false,
        "province (default), corop or gemeente",
    ),
    (
        "within",
        "query",
        false,
        "a province or COROP code: only its areas",
    ),
    ("sector", "query", false, "a sector of rules/settings.toml"),
    (
        "ministry",
        "query",
        false,
        "a ministry of rules/settings.toml",
    ),
];

/// Every route of the API.
static OPERATIONS: &[Op] = &[
    Op {
        method: "get",
        path: "/api/health",
        summary: "The server's state: engine version, rules digest, years with data, whether writes are possible",
        body: None,
        ok: (200, Answer::Typed(of::<Health>)),
        params: &[],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/openapi.json",
        summary: "This description",
        body: None,
        ok: (200, Answer::Object),
        params: &[],
        write: false,
    },
    Op {
        method: "post",
        path: "/api/advise",
        summary: "Rank candidate locations for a case and draft the advice (as data, or the letter)",
        body: Some(of::<AdviseRequest>),
        ok: (200, Answer::Typed(of::<Advice>)),
        params: &[],
        write: false,
    },
    Op {
        method: "post",
        path: "/api/validate",
        summary: "Check a case file against the profiles and rules; every problem located",
        body: Some(of::<ValidateRequest>),
        ok: (200, Answer::Typed(of::<Validation>)),
        params: &[],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/explain",
        summary: "Every principle, criterion and attribute with its documentation",
        body: None,
        ok: (200, Answer::SameAs("explain --list --format json")),
        params: &[],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/explain/{id}",
        summary: "One principle, criterion or attribute",
        body: None,
        ok: (200, Answer::SameAs("explain ID --format json")),
        params: &[(
            "id",
            "path",
            true,
            "a principle id, criterion id or attribute name",
        )],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/gemeenten/{query}",
        summary: "A gemeente's profile with the source of every figure, by code, name or a name in common use",
        body: None,
        ok: (200, Answer::SameAs("gemeente QUERY --format json")),
        params: &[(
            "query",
            "path",
            true,
            "a CBS gemeente code, a name or a name in common use",
        )],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/travel",
        summary: "Rail minutes between two places with the legs of the trip",
        body: None,
        ok: (200, Answer::SameAs("travel FROM TO --format json")),
        params: &[
            (
                "from",
                "query",
                true,
                "a station code, gemeente code or gemeente name",
            ),
            ("to", "query", true, "likewise"),
        ],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/report",
        summary: "The annual state of spreading, with the register's cases and deliveries of the year",
        body: None,
        ok: (
            200,
            Answer::SameAs("report --year Y --db PATH --format json"),
        ),
        params: YEAR,
        write: false,
    },
    Op {
        method: "get",
        path: "/api/spreading",
        summary: "FTE per province, COROP or gemeente, filtered by sector and ministry, each figure labelled (the dashboard's data)",
        body: None,
        ok: (200, Answer::Typed(of::<Spreading>)),
        params: SPREADING,
        write: false,
    },
    Op {
        method: "post",
        path: "/api/scenario",
        summary: "Apply scenarios to the estimated baseline and compare them side by side",
        body: Some(of::<ScenarioRequest>),
        ok: (200, Answer::SameAs("scenario FILES --format json")),
        params: &[],
        write: false,
    },
    Op {
        method: "post",
        path: "/api/match",
        summary: "Place a pipeline of services at once, exactly, under capacities",
        body: Some(of::<MatchRequest>),
        ok: (200, Answer::SameAs("match PIPELINE --format json")),
        params: &[],
        write: false,
    },
    Op {
        method: "get",
        path: "/api/cases",
        summary: "The register's cases, by received date",
        body: None,
        ok: (200, Answer::Typed(of::<CaseList>)),
        params: &[(
            "year",
            "query",
            false,
            "only the cases received in this year",
        )],
        write: false,
    },
    Op {
        method: "post",
        path: "/api/cases",
        summary: "Register a case (status ontvangen)",
        body: Some(of::<NewCase>),
        ok: (201, Answer::Typed(of::<CaseRecord>)),
        params: &[],
        write: true,
    },
    Op {
        method: "get",
        path: "/api/cases/{number}",
        summary: "A case with every advice given for it",
        body: None,
        ok: (200, Answer::Typed(of::<CaseDetail>)),
        params: NUMBER,
        write: false,
    },
    Op {
        method: "post",
        path: "/api/cases/{number}/start",
        summary: "Mark a received case as taken up (in behandeling)",
        body: None,
        ok: (200, Answer::Typed(of::<CaseRecord>)),
        params: NUMBER,
        write: true,
    },
    Op {
        method: "post",
        path: "/api/cases/{number}/advise",
        summary: "Advise on a registered case and store the advice (advies uitgebracht)",
        body: Some(of::<AdviseCase>),
        ok: (200, Answer::Typed(of::<AdviceStored>)),
        params: NUMBER,
        write: true,
    },
    Op {
        method: "post",
        path: "/api/cases/{number}/decision",
        summary: "Record the responsible minister's decision (besluit genomen)",
        body: Some(of::<Decision>),
        ok: (200, Answer::Typed(of::<CaseRecord>)),
        params: NUMBER,
        write: true,
    },
    Op {
        method: "get",
        path: "/api/cases/{number}/verify",
        summary: "Re-run the last stored advice and compare digest and output",
        body: None,
        ok: (200, Answer::Typed(of::<Verification>)),
        params: NUMBER,
        write: false,
    },
    Op {
        method: "get",
        path: "/api/deliveries",
        summary: "Which ministries delivered their figures for a year",
        body: None,
        ok: (200, Answer::Typed(of::<Deliveries>)),
        params: YEAR,
        write: false,
    },
];

/// One operation as OpenAPI: parameters, body, the success response and the problems.
fn operation(op: &Op, g: &mut SchemaGenerator, problem: &Value) -> Value {
    let ok = match &op.ok.1 {
        Answer::Typed(f) => f(g),
        Answer::Object => json!({ "type": "object" }),
        Answer::SameAs(cli) => {
            json!({ "type": "object", "description": format!("the same JSON as `{cli}`") })
        }
    };
    let problem_response = |what: &str| json!({ "description": what, "content": { "application/problem+json": { "schema": problem } } });
    let mut responses = json!({
        op.ok.0.to_string(): { "description": "success", "content": { "application/json": { "schema": ok } } },
        "400": problem_response("the body is not the JSON this endpoint takes"),
        "404": problem_response("not found"),
        "413": problem_response("the body is larger than the server's limit"),
        "422": problem_response("invalid input, every problem located"),
        "503": problem_response("the request took longer than the server's time limit"),
    });
    if op.write {
        responses["401"] = problem_response("no bearer token, or not the server's");
        responses["403"] =
            problem_response("the server has no token configured: writes are refused");
    }
    let mut o = json!({
        "summary": op.summary,
        "operationId": format!("{} {}", op.method, op.path),
        "parameters": op.params.iter().map(|(name, place, required, what)| json!({
            "name": name, "in": place, "required": required, "description": what, "schema": { "type": "string" }
        })).collect::<Vec<_>>(),
        "responses": responses,
    });
    if let Some(body) = op.body {
        let b = body(g);
        o["requestBody"] =
            json!({ "required": true, "content": { "application/json": { "schema": b } } });
    }
    if op.write {
        o["security"] = json!([{ "bearer": [] }]);
    }
    o
}

/// The OpenAPI document as pretty JSON with a final newline.
pub fn document() -> String {
    let mut g = SchemaSettings::draft2020_12()
        .with(|s| s.definitions_path = "/components/schemas".into())
        .into_generator();
    let problem = g.subschema_for::<Problem>().to_value();
    let mut paths = serde_json::Map::new();
    for op in OPERATIONS {
        let o = operation(op, &mut g, &problem);
        paths.entry(op.path).or_insert_with(|| json!({}))[op.method] = o;
    }
    let doc = json!({
        "openapi": "3.1.0",
        "info": {
            "title": "locatieadvies",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Location advice for the spreading of central-government jobs (spreiding van rijkswerkgelegenheid). Reads are open; every write needs `Authorization: Bearer <token>` (the server's LOCATIEADVIES_TOKEN or --token-file); without a token configured every write is refused. Errors are application/problem+json with the located diagnostics of the command line.",
            "license": { "name": "EUPL-1.2", "identifier": "EUPL-1.2" }
        },
        "paths": paths,
        "components": {
            "schemas": g.take_definitions(true),
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } }
        }
    });
    serde_json::to_string_pretty(&doc).expect("the description serialises") + "\n"
}
