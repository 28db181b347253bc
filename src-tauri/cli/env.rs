//! `greenlight env list|show NAME|set NAME KEY VALUE|unset NAME KEY`: the environments whose
//! variables fill probes' `{{variables}}`, so a pipeline can set one up on a fresh data folder.
//! Variables are not secrets (credentials are, and live in the keychain).

use clap::Subcommand;
use greenlight_store::Environment;

use super::to_json;
use crate::api_error::{ApiError, Code};
use crate::app::{ApiResult, App};

#[derive(Debug, Subcommand)]
pub enum EnvCommand {
    /// List the environments.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show an environment's variables (KEY=VALUE lines).
    Show {
        name: String,
        #[arg(long)]
        json: bool,
    },
    /// Set one variable (the environment is created when new).
    Set {
        name: String,
        key: String,
        value: String,
    },
    /// Remove one variable.
    Unset { name: String, key: String },
}

async fn find(app: &App, name: &str) -> ApiResult<Option<Environment>> {
    Ok(app
        .list_environments()
        .await?
        .into_iter()
        .find(|e| e.name == name))
}

pub(super) async fn execute(command: EnvCommand, app: App) -> ApiResult<String> {
    match command {
        EnvCommand::List { json } => {
            let all = app.list_environments().await?;
            if json {
                return to_json(&all);
            }
            Ok(all
                .iter()
                .map(|e| format!("{}\t{} variables", e.name, e.variables.len()))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        EnvCommand::Show { name, json } => {
            let env = find(&app, &name).await?.ok_or_else(|| {
                ApiError::new(Code::NotFound, format!("no environment named “{name}”"))
            })?;
            if json {
                return to_json(&env);
            }
            Ok(env
                .variables
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("\n"))
        }
        EnvCommand::Set { name, key, value } => {
            let mut env = find(&app, &name).await?.unwrap_or(Environment {
                name: name.clone(),
                variables: Default::default(),
            });
            env.variables.insert(key.trim().to_string(), value);
            app.save_environment(&env).await?;
            Ok(format!("{name}: {} set", key.trim()))
        }
        EnvCommand::Unset { name, key } => {
            let Some(mut env) = find(&app, &name).await? else {
                return Err(ApiError::new(
                    Code::NotFound,
                    format!("no environment named “{name}”"),
                ));
            };
            env.variables.remove(&key);
            app.save_environment(&env).await?;
            Ok(format!("{name}: {key} removed"))
        }
    }
}
