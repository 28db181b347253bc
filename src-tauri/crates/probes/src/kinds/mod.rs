//! One module per probe kind; each turns a spec into a [`crate::result::Finding`].

pub(crate) mod command;
pub(crate) mod dns;
pub(crate) mod http;
pub(crate) mod net;
pub(crate) mod postgres;
pub(crate) mod prometheus;
pub(crate) mod redis;
pub(crate) mod tcp;
pub(crate) mod tls;
