//! DNS TXT lookups for domain verification, through the system resolver or a configured server
//! (tests point it at a local fake server).

use std::net::SocketAddr;

use hickory_resolver::TokioResolver;
use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::RData;

use crate::{AppError, AppResult};

pub struct TxtResolver(TokioResolver);

impl TxtResolver {
    pub fn new(server: Option<SocketAddr>) -> AppResult<TxtResolver> {
        let resolver = match server {
            Some(addr) => {
                let mut ns = NameServerConfig::udp_and_tcp(addr.ip());
                for c in &mut ns.connections {
                    c.port = addr.port();
                }
                TokioResolver::builder_with_config(
                    ResolverConfig::from_name_servers(vec![ns]),
                    TokioRuntimeProvider::default(),
                )
                .build()
            }
            None => TokioResolver::builder_tokio()
                .map_err(|e| {
                    AppError::Internal(format!("cannot read the system's DNS configuration: {e}"))
                })?
                .build(),
        }
        .map_err(|e| AppError::Internal(format!("cannot set up DNS resolution: {e}")))?;
        Ok(TxtResolver(resolver))
    }

    /// The TXT strings at `name`; an empty list when the name has none or does not exist.
    pub async fn txt(&self, name: &str) -> Result<Vec<String>, String> {
        let fqdn = format!("{}.", name.trim_end_matches('.'));
        match self.0.txt_lookup(fqdn.as_str()).await {
            Ok(lookup) => Ok(lookup
                .answers()
                .iter()
                .filter_map(|r| match &r.data {
                    RData::TXT(txt) => Some(
                        txt.txt_data
                            .iter()
                            .map(|s| String::from_utf8_lossy(s).into_owned())
                            .collect::<String>(),
                    ),
                    _ => None,
                })
                .collect()),
            Err(e) if e.is_no_records_found() || e.is_nx_domain() => Ok(Vec::new()),
            Err(e) => Err(e.to_string()),
        }
    }
}
