//! RAM groups (docs/console.md#identity): list, create, delete, members, attached policies —
//! RAM calls through the caller.

use askama::Template;
use http::StatusCode;

use super::attach::Attachments;
use super::ram::EntityRow;
use super::{Layout, Visit};
use crate::console::caller::{CallError, Product};
use crate::console::html;
use crate::transport::response::Resp;

/// The group list and the create form.
#[derive(Template)]
#[template(path = "console/groups.html")]
struct GroupsPage {
    layout: Layout,
    groups: Result<Vec<EntityRow>, CallError>,
}

/// One group.
#[derive(Template)]
#[template(path = "console/group.html")]
struct GroupPage {
    layout: Layout,
    name: String,
    members: Result<Vec<EntityRow>, CallError>,
    users: Vec<EntityRow>,
    attached: Attachments,
}

/// GET `/groups`.
pub(crate) async fn list(v: &Visit<'_>) -> Resp {
    let groups = v
        .caller()
        .rpc(Product::Ram, "ListGroups", &[("MaxItems", "1000")])
        .await
        .map(|r| EntityRow::list(&r, "Groups", "Group", "GroupName"));
    let page = GroupsPage {
        layout: v.layout("identity", "Groups"),
        groups,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/groups`: CreateGroup.
pub(crate) async fn create(v: &Visit<'_>) -> Resp {
    let name = v.form.text("group_name");
    let mut params = vec![("GroupName", name)];
    if let Some(c) = v.form.opt("comments") {
        params.push(("Comments", c));
    }
    v.ram_then("CreateGroup", &params, &format!("/-/console/groups/{name}"))
        .await
}

/// GET `/groups/<name>`.
pub(crate) async fn show(v: &Visit<'_>, name: &str) -> Resp {
    let caller = v.caller();
    let members = caller
        .rpc(Product::Ram, "ListUsersForGroup", &[("GroupName", name)])
        .await
        .map(|r| EntityRow::list(&r, "Users", "User", "UserName"));
    if let Err(e) = &members
        && e.code.starts_with("EntityNotExist")
    {
        return v.failure(e, "/-/console/groups");
    }
    let users = caller
        .rpc(Product::Ram, "ListUsers", &[("MaxItems", "1000")])
        .await
        .map(|r| EntityRow::list(&r, "Users", "User", "UserName"))
        .unwrap_or_default();
    let page = GroupPage {
        layout: v.layout("identity", format!("Group {name}")),
        name: name.to_owned(),
        members,
        users,
        attached: Attachments::load(v, "group", name).await,
    };
    html::render(StatusCode::OK, &page)
}

/// POST `/groups/<name>/members` (`user_name`): AddUserToGroup.
pub(crate) async fn add_member(v: &Visit<'_>, name: &str) -> Resp {
    let params = [("GroupName", name), ("UserName", v.form.text("user_name"))];
    v.ram_then(
        "AddUserToGroup",
        &params,
        &format!("/-/console/groups/{name}"),
    )
    .await
}

/// POST `/groups/<name>/members/<user>/remove`: RemoveUserFromGroup.
pub(crate) async fn remove_member(v: &Visit<'_>, name: &str, user: &str) -> Resp {
    let params = [("GroupName", name), ("UserName", user)];
    v.ram_then(
        "RemoveUserFromGroup",
        &params,
        &format!("/-/console/groups/{name}"),
    )
    .await
}

/// POST `/groups/<name>/delete`: DeleteGroup.
pub(crate) async fn delete(v: &Visit<'_>, name: &str) -> Resp {
    match v
        .caller()
        .rpc(Product::Ram, "DeleteGroup", &[("GroupName", name)])
        .await
    {
        Ok(_) => html::redirect("/-/console/groups"),
        Err(e) => v.failure(&e, &format!("/-/console/groups/{name}")),
    }
}
