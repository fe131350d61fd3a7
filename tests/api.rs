//! The HTTP API over a real socket: every endpoint, the token on writes (401, 403), oversized and
//! malformed bodies (413, 400 with line and column), invalid input located (422), and a case from
//! registration to verified advice.

mod common;

use common::server::{Answer, TOKEN, start};
use serde_json::json;

const CASE: &str = include_str!("../cases/nieuwe-zbo-energie.toml");

fn is_problem(a: &Answer, status: u16) {
    assert_eq!(a.status, status, "{}", a.text);
    assert_eq!(a.content_type, "application/problem+json", "{}", a.text);
    assert_eq!(a.json["status"], status);
    assert!(a.json["detail"].as_str().is_some_and(|d| !d.is_empty()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_advise_and_the_computations() {
    let s = start(Some(TOKEN)).await;
    let h = s.get("/api/health").await;
    assert_eq!(h.status, 200);
    assert_eq!(h.json["writes"], true);
    assert_eq!(h.json["years"], json!([2021, 2022, 2023, 2024]));

    // The advice is the CLI's: the same first location as `advise --format json`
    // ('s-Hertogenbosch).
    let a = s
        .post(
            "/api/advise",
            &json!({ "case": CASE, "robustness": false }),
            None,
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.text);
    assert_eq!(a.json["ranking"][0]["name"], "'s-Hertogenbosch");
    assert!(a.json["robustness"].is_null());
    let ranked = a.json["ranking"].as_array().unwrap().len();
    // Weights move the ranking: all weight on the rail minutes to Den Haag changes the first.
    let w = s
        .post(
            "/api/advise",
            &json!({ "case": CASE, "robustness": false, "top": 5,
                "weights": { "rail-minutes-den-haag": 100 } }),
            None,
        )
        .await;
    assert_eq!(w.status, 200, "{}", w.text);
    assert_eq!(w.json["ranking"].as_array().unwrap().len(), 5);
    assert!(ranked > 5);
    assert_ne!(w.json["ranking"][0]["name"], a.json["ranking"][0]["name"]);
    let letter = s
        .post(
            "/api/advise",
            &json!({ "case": CASE, "robustness": false, "format": "markdown" }),
            None,
        )
        .await;
    assert_eq!(letter.status, 200);
    assert!(letter.content_type.starts_with("text/markdown"));
    assert!(letter.text.contains("Lelystad"));

    let v = s
        .post(
            "/api/validate",
            &json!({ "case": "[case]\nid = 1\n" }),
            None,
        )
        .await;
    assert_eq!(v.status, 200);
    assert_eq!(v.json["valid"], false);
    assert!(v.json["problems"][0]["line"].as_u64().unwrap() >= 1);
    let ok = s
        .post("/api/validate", &json!({ "case": CASE }), None)
        .await;
    assert_eq!(ok.json["valid"], true);

    assert!(
        s.get("/api/explain").await.json["entries"]
            .as_array()
            .unwrap()
            .len()
            > 20
    );
    assert_eq!(
        s.get("/api/explain/krimp-in-randstad").await.json["kind"],
        "principle"
    );
    let g = s.get("/api/gemeenten/Den%20Haag").await;
    assert_eq!(g.json[0]["code"], "GM0518");
    let t = s.get("/api/travel?from=Assen&to=UT").await;
    assert_eq!(t.status, 200, "{}", t.text);
    assert_eq!(t.json["minutes"], 96.0);
    let r = s.get("/api/report?year=2024").await;
    assert_eq!(r.json["published_total"]["value"], 353797.0);
    assert_eq!(r.json["deliveries"]["complete"], false);
    let sp = s
        .get("/api/spreading?year=2024&level=corop&within=PV22")
        .await;
    assert_eq!(sp.json["areas"].as_array().unwrap().len(), 3);
    // Below the province no figures exist: the areas are listed without FTE.
    assert_eq!(sp.json["figures"], false);
    assert!(
        sp.json["areas"]
            .as_array()
            .unwrap()
            .iter()
            .all(|a| a["label"] == "none" && a["fte"].is_null())
    );
    let sc = s
        .post(
            "/api/scenario",
            &json!({ "scenarios": [
                include_str!("../cases/scenarios/taakstelling-ienw-22-proportional.toml"),
                include_str!("../cases/scenarios/taakstelling-ienw-22-randstad-first.toml") ] }),
            None,
        )
        .await;
    assert_eq!(sc.status, 200, "{}", sc.text);
    assert_eq!(sc.json["scenarios"].as_array().unwrap().len(), 2);
    let d = s.get("/api/deliveries?year=2024").await;
    assert_eq!(d.json["complete"], false);
    assert_eq!(s.get("/api/openapi.json").await.json["openapi"], "3.1.0");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn match_takes_inline_cases_and_refuses_file_references() {
    let s = start(None).await;
    let case: String = CASE
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("[case]", "[service.inline.case]");
    let inline = format!(
        "[pipeline]\nid = \"p\"\ntitle = \"P\"\ndefault_capacity = 500\n\n[[service]]\n{case}\n"
    );
    let m = s
        .post(
            "/api/match",
            &json!({ "pipeline": inline, "time_limit": 20 }),
            None,
        )
        .await;
    assert_eq!(m.status, 200, "{}\n{inline}", m.text);
    let by_file = s
        .post(
            "/api/match",
            &json!({ "pipeline": "[pipeline]\nid = \"p\"\ntitle = \"P\"\n\n[[service]]\ncase = \"../etc/passwd\"\n" }),
            None,
        )
        .await;
    is_problem(&by_file, 422);
    assert_eq!(by_file.json["problems"][0]["code"], "unsupported");
    assert_eq!(by_file.json["problems"][0]["line"], 6);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn writes_need_the_token() {
    let s = start(Some(TOKEN)).await;
    let body = json!({ "number": "2026-001", "received": "2026-03-02", "case": CASE });
    is_problem(&s.post("/api/cases", &body, None).await, 401);
    is_problem(
        &s.post("/api/cases", &body, Some("not-the-token-at-all"))
            .await,
        401,
    );
    for path in [
        "/api/cases/2026-001/start",
        "/api/cases/2026-001/advise",
        "/api/cases/2026-001/decision",
    ] {
        is_problem(&s.post(path, &json!({}), None).await, 401);
    }
    assert_eq!(s.get("/api/cases").await.json["cases"], json!([]));
    // Without a token configured every write is refused, whatever the request says.
    let closed = start(None).await;
    is_problem(&closed.post("/api/cases", &body, Some(TOKEN)).await, 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_bodies_are_located_problems() {
    let s = start(Some(TOKEN)).await;
    is_problem(
        &s.post_raw("/api/advise", vec![b' '; 70 * 1024], None).await,
        413,
    );
    let broken = s
        .post_raw(
            "/api/advise",
            b"{\n  \"case\": \"x\",\n  oops\n}".to_vec(),
            None,
        )
        .await;
    is_problem(&broken, 400);
    assert_eq!(broken.json["problems"][0]["line"], 3);
    assert_eq!(broken.json["problems"][0]["file"], "<request body>");
    let unknown = s
        .post("/api/advise", &json!({ "case": CASE, "wieghts": {} }), None)
        .await;
    is_problem(&unknown, 400);
    // A misspelt gemeente in the case: located in the case text.
    let bad_case = CASE.replace(
        "kind = \"new\"",
        "kind = \"new\"\npreferred_location = \"GM9995\"",
    );
    let a = s
        .post("/api/advise", &json!({ "case": bad_case }), None)
        .await;
    is_problem(&a, 422);
    assert_eq!(a.json["problems"][0]["file"], "<request>/case");
    assert!(
        a.json["problems"][0]["line"].as_u64().unwrap() > 1,
        "{}",
        a.text
    );
    let w = s
        .post(
            "/api/advise",
            &json!({ "case": CASE, "weights": { "rail-minutes-den-haaag": 1 } }),
            None,
        )
        .await;
    is_problem(&w, 422);
    assert!(
        w.json["problems"][0]["help"]
            .as_str()
            .unwrap()
            .contains("rail-minutes-den-haag")
    );
    let negative = s
        .post(
            "/api/advise",
            &json!({ "case": CASE, "weights": { "rail-minutes-den-haag": -1 } }),
            None,
        )
        .await;
    is_problem(&negative, 422);
    is_problem(&s.get("/api/report?year=1999").await, 422);
    is_problem(&s.get("/api/gemeenten/Amsterdan").await, 404);
    is_problem(&s.get("/api/cases/nope").await, 404);
    is_problem(&s.get("/api/spreading?level=wijk").await, 422);
    is_problem(&s.get("/api/nothing-here").await, 404);
    let dup = json!({ "number": "2026-009", "received": "2026-03-02", "case": CASE });
    assert_eq!(s.post("/api/cases", &dup, Some(TOKEN)).await.status, 201);
    is_problem(&s.post("/api/cases", &dup, Some(TOKEN)).await, 409);
    let bad_date = json!({ "number": "2026-010", "received": "2026-02-30", "case": CASE });
    is_problem(&s.post("/api/cases", &bad_date, Some(TOKEN)).await, 422);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_case_from_registration_to_a_verified_advice() {
    let s = start(Some(TOKEN)).await;
    let t = Some(TOKEN);
    let add = s
        .post(
            "/api/cases",
            &json!({ "number": "2026-014", "received": "2026-03-02", "case": CASE }),
            t,
        )
        .await;
    assert_eq!(add.status, 201, "{}", add.text);
    assert_eq!(add.json["status"], "ontvangen");
    let st = s.post("/api/cases/2026-014/start", &json!({}), t).await;
    assert_eq!(st.json["status"], "in behandeling");
    let decision =
        json!({ "date": "2026-05-01", "decision": "gevestigd in Lelystad", "followed": true });
    is_problem(
        &s.post("/api/cases/2026-014/decision", &decision, t).await,
        409,
    );
    let adv = s
        .post(
            "/api/cases/2026-014/advise",
            &json!({ "date": "2026-04-01" }),
            t,
        )
        .await;
    assert_eq!(adv.status, 200, "{}", adv.text);
    assert_eq!(adv.json["case"]["status"], "advies uitgebracht");
    let unmotivated = json!({ "date": "2026-05-01", "decision": "Den Haag", "followed": false });
    is_problem(
        &s.post("/api/cases/2026-014/decision", &unmotivated, t)
            .await,
        422,
    );
    let dec = s.post("/api/cases/2026-014/decision", &decision, t).await;
    assert_eq!(dec.json["status"], "besluit genomen");
    let detail = s.get("/api/cases/2026-014").await;
    assert_eq!(
        detail.json["advices"][0]["advice"]["ranking"][0]["name"],
        "'s-Hertogenbosch"
    );
    assert_eq!(detail.json["case_toml"], CASE);
    let v = s.get("/api/cases/2026-014/verify").await;
    assert_eq!(v.json["same_input"], true);
    assert_eq!(v.json["same_output"], true);
    assert_eq!(
        s.get("/api/cases?year=2026").await.json["cases"][0]["number"],
        "2026-014"
    );
    assert_eq!(s.get("/api/cases?year=2025").await.json["cases"], json!([]));
    // The case's page shows the advice; a case with a preference shows the verdict on it.
    let page = s.get("/zaken/2026-014").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("Eerste locatie van de ranglijst"),
        "{}",
        page.text
    );
    let preferring = CASE.replacen("[case]\n", "[case]\npreferred_location = \"GM0687\"\n", 1);
    assert_ne!(preferring, CASE);
    let add = s
        .post(
            "/api/cases",
            &json!({ "number": "2026-015", "received": "2026-03-03", "case": preferring }),
            t,
        )
        .await;
    assert_eq!(add.status, 201, "{}", add.text);
    s.post("/api/cases/2026-015/start", &json!({}), t).await;
    let adv = s
        .post(
            "/api/cases/2026-015/advise",
            &json!({ "date": "2026-04-02" }),
            t,
        )
        .await;
    assert_eq!(adv.status, 200, "{}", adv.text);
    let page = s.get("/zaken/2026-015").await;
    assert_eq!(page.status, 200, "{}", page.text);
    assert!(
        page.text.contains("Verzoek: <strong>Middelburg"),
        "{}",
        page.text
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_dashboard_pages_render() {
    let s = start(None).await;
    for path in [
        "/",
        "/?level=gemeente&measure=fte",
        "/?sector=zbo&ministry=IenW",
        "/provincie/PV22",
        "/corop/CR07",
        "/gemeente/GM0106",
        "/zaken",
        "/leveringen",
        "/advies",
        "/scenario?s=cases/scenarios/taakstelling-ienw-22-proportional.toml&s=cases/scenarios/taakstelling-ienw-22-randstad-first.toml",
    ] {
        let p = s.get(path).await;
        assert_eq!(p.status, 200, "{path}: {}", p.text);
        assert!(p.content_type.starts_with("text/html"), "{path}");
        assert!(p.text.contains("<html lang=\"nl\">"), "{path}");
        // Nothing from elsewhere: no CDN scripts, styles or fonts.
        assert!(
            !p.text.contains("src=\"http") && !p.text.contains("href=\"http"),
            "{path}"
        );
    }
    let o = s.get("/").await.text;
    assert!(o.contains("353.797"), "Dutch thousands separator");
    assert!(o.contains("5,2%"), "Dutch decimal comma");
    assert!(o.contains("gekalibreerd") && o.contains("gepubliceerd"));
    assert_eq!(
        o.matches("<a href=\"/provincie/PV").count(),
        24,
        "12 on the map, 12 in the table"
    );
    // No figures exist below the province or per ministry: no gemeente or COROP map, and the
    // pages say so instead.
    let g = s.get("/?level=gemeente").await.text;
    assert_eq!(g.matches("<svg").count(), 1, "only the trend chart, no map");
    assert!(g.contains("Geen cijfers"));
    let m = s.get("/?ministry=IenW").await.text;
    assert!(
        m.contains("Geen cijfers") && !m.contains("14.35"),
        "no equal-parts figure"
    );
    let p = s.get("/provincie/PV22").await.text;
    assert!(p.contains("Geen cijfers") && p.contains("/gemeente/GM0106"));
    assert!(p.contains("Drenthe<strong>"), "the province's own figure");
    assert!(
        !p.contains("<th class=\"n\">fte</th>"),
        "no FTE below the province"
    );
    let api = s.get("/api/spreading?level=gemeente").await;
    assert_eq!(api.json["figures"], false);
    assert!(api.json["areas"][0]["fte"].is_null());
    assert!(s.get("/gemeente/GM0106").await.text.contains("Assen"));
    assert_eq!(s.get("/assets/dashboard.js").await.status, 200);
    assert_eq!(
        s.get("/voorbeelden/nieuwe-zbo-energie.toml").await.text,
        CASE
    );
    let missing = s.get("/provincie/PV99").await;
    assert_eq!(missing.status, 404);
    assert!(
        missing.content_type.starts_with("text/html") && missing.text.contains("Niet gevonden")
    );
}
