//! A test client that drives the router in-process: it keeps cookies like a browser (and shows
//! what the server set), remembers the CSRF token of the last page, and speaks JSON to the API.

use std::collections::HashMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use tower::ServiceExt;

#[derive(Clone)]
pub struct Client {
    router: Router,
    pub cookies: HashMap<String, String>,
    /// Raw `Set-Cookie` headers seen, for assertions on their attributes.
    pub set_cookie_log: Vec<String>,
    csrf: Option<String>,
}

#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl TestResponse {
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// Asserts the status, showing the body when it differs.
    #[track_caller]
    pub fn assert_status(&self, want: u16) -> &Self {
        assert_eq!(
            self.status.as_u16(),
            want,
            "unexpected status; body:\n{}",
            &self.body[..self.body.len().min(3000)]
        );
        self
    }

    #[track_caller]
    pub fn assert_contains(&self, needle: &str) -> &Self {
        assert!(
            self.body.contains(needle),
            "expected {needle:?} in body:\n{}",
            &self.body[..self.body.len().min(5000)]
        );
        self
    }

    #[track_caller]
    pub fn assert_redirect(&self, prefix: &str) -> &Self {
        let loc = self.location().unwrap_or_else(|| {
            panic!(
                "expected a redirect to {prefix}, got {} {}",
                self.status,
                &self.body[..self.body.len().min(2000)]
            )
        });
        assert!(
            loc.starts_with(prefix),
            "redirect to {loc}, expected {prefix}"
        );
        self
    }
}

fn csrf_in(body: &str) -> Option<String> {
    let at = body.find("name=\"csrf\" value=\"")? + "name=\"csrf\" value=\"".len();
    Some(body[at..].split('"').next()?.to_owned())
}

impl Client {
    pub fn new(router: Router) -> Client {
        Client {
            router,
            cookies: HashMap::new(),
            set_cookie_log: Vec::new(),
            csrf: None,
        }
    }

    /// The CSRF token the last page carried.
    pub fn csrf(&self) -> Option<&str> {
        self.csrf.as_deref()
    }

    async fn send(&mut self, req: Request<Body>) -> TestResponse {
        let resp = self
            .router
            .clone()
            .oneshot(req)
            .await
            .expect("router never fails");
        for v in resp.headers().get_all(header::SET_COOKIE) {
            let raw = v.to_str().unwrap_or("").to_owned();
            let (pair, attrs) = raw.split_once(';').unwrap_or((&raw, ""));
            if let Some((name, value)) = pair.split_once('=') {
                if attrs.contains("Max-Age=0") || value.is_empty() {
                    self.cookies.remove(name.trim());
                } else {
                    self.cookies
                        .insert(name.trim().to_owned(), value.trim().to_owned());
                }
            }
            self.set_cookie_log.push(raw);
        }
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), 64 * 1024 * 1024)
            .await
            .expect("body");
        let body = String::from_utf8_lossy(&bytes).into_owned();
        if let Some(t) = csrf_in(&body) {
            self.csrf = Some(t);
        }
        TestResponse {
            status,
            headers,
            body,
        }
    }

    fn cookie_header(&self) -> String {
        self.cookies
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("; ")
    }

    pub async fn get(&mut self, path: &str) -> TestResponse {
        let req = Request::builder()
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// Posts a form with the CSRF token of the last page added.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> TestResponse {
        let mut all: Vec<(&str, String)> =
            fields.iter().map(|(k, v)| (*k, (*v).to_owned())).collect();
        if !fields.iter().any(|(k, _)| *k == "csrf") {
            all.push(("csrf", self.csrf.clone().unwrap_or_default()));
        }
        self.post_raw(path, &all).await
    }

    /// Posts exactly these fields (no CSRF token added).
    pub async fn post_raw(&mut self, path: &str, fields: &[(&str, String)]) -> TestResponse {
        let body = serde_urlencoded::to_string(fields).unwrap();
        let req = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::COOKIE, self.cookie_header())
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Sends a request with extra headers (for Origin / Sec-Fetch-Site tests).
    pub async fn request(
        &mut self,
        method: Method,
        path: &str,
        headers: &[(&str, &str)],
        body: String,
    ) -> TestResponse {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::COOKIE, self.cookie_header());
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        self.send(b.body(Body::from(body)).unwrap()).await
    }

    /// An API call with a bearer token and an optional JSON body.
    pub async fn api(
        &mut self,
        method: Method,
        path: &str,
        token: Option<&str>,
        json: Option<serde_json::Value>,
    ) -> TestResponse {
        let mut b = Request::builder().method(method).uri(path);
        if let Some(t) = token {
            b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
        }
        let body = match json {
            Some(j) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(j.to_string())
            }
            None => Body::empty(),
        };
        self.send(b.body(body).unwrap()).await
    }
}
