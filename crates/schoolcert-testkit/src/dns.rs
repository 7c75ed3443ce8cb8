//! A tiny authoritative DNS server on a random local UDP port that answers TXT queries from a
//! map the test fills; everything else gets NXDOMAIN.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::TXT;
use hickory_proto::rr::{RData, Record, RecordType};

#[derive(Clone)]
pub struct FakeDns {
    pub addr: SocketAddr,
    records: Arc<Mutex<HashMap<String, Vec<String>>>>,
}

impl FakeDns {
    pub async fn start() -> FakeDns {
        let socket = tokio::net::UdpSocket::bind("127.0.0.1:0")
            .await
            .expect("bind fake DNS");
        let addr = socket.local_addr().expect("fake DNS address");
        let records: Arc<Mutex<HashMap<String, Vec<String>>>> = Arc::default();
        let map = records.clone();
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                let Ok((n, peer)) = socket.recv_from(&mut buf).await else {
                    return;
                };
                let Ok(query) = Message::from_vec(&buf[..n]) else {
                    continue;
                };
                let mut reply = Message::new(
                    query.metadata.id,
                    MessageType::Response,
                    query.metadata.op_code,
                );
                reply.metadata.authoritative = true;
                reply.metadata.recursion_desired = query.metadata.recursion_desired;
                reply.metadata.recursion_available = true;
                let mut found = false;
                for q in &query.queries {
                    reply.add_query(q.clone());
                    let name = q.name.to_ascii().trim_end_matches('.').to_lowercase();
                    let values = map.lock().unwrap().get(&name).cloned();
                    if let Some(values) = values {
                        found = true;
                        if q.query_type == RecordType::TXT {
                            for v in values {
                                reply.add_answer(Record::from_rdata(
                                    q.name.clone(),
                                    60,
                                    RData::TXT(TXT::new(vec![v])),
                                ));
                            }
                        }
                    }
                }
                if !found {
                    reply.metadata.response_code = ResponseCode::NXDomain;
                }
                if let Ok(bytes) = reply.to_vec() {
                    let _ = socket.send_to(&bytes, peer).await;
                }
            }
        });
        FakeDns { addr, records }
    }

    /// Publishes a TXT record.
    pub fn txt(&self, name: &str, value: &str) {
        self.records
            .lock()
            .unwrap()
            .entry(name.trim_end_matches('.').to_lowercase())
            .or_default()
            .push(value.to_owned());
    }
}
