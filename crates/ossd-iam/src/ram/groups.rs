//! Groups and memberships: CreateGroup, GetGroup, UpdateGroup, ListGroups, DeleteGroup,
//! AddUserToGroup, RemoveUserFromGroup, ListGroupsForUser, ListUsersForGroup
//! (docs/protocol/ram.md#ram-actions, #ram-action-semantics).

use super::counted::Creation;
use super::{
    Group, GroupName, GroupUpdate, Listed, Membership, NewGroup, Out, Page, RamOutcome, User,
    UserName,
};
use crate::Entity;
use crate::store::{EntityKind, GroupRecord, Joined, NameRef, Txn, UserRecord, child};
use crate::{Iam, codes, ids};

/// Most groups per account (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_GROUPS: u64 = 50;
/// Most groups per user (docs/protocol/ram.md#names-and-limits).
pub(super) const MAX_GROUPS_PER_USER: usize = 5;

impl Iam {
    /// CreateGroup.
    pub(super) async fn create_group(&self, new: &NewGroup) -> Out {
        let name = new.group_name.as_str();
        let comments = new.comments.as_deref().unwrap_or_default();
        let now = self.now();
        let group = GroupRecord {
            id: ids::group_id(),
            name: name.to_owned(),
            comments: comments.to_owned(),
            created: now,
            updated: now,
        };
        let layout = &self.store().layout;
        let mut txn = Txn::new();
        let index = layout.group_id(&group.id);
        txn.absent(&index).put(
            &index,
            &NameRef {
                name: group.name.clone(),
            },
        );
        let key = layout.group(name);
        let creation = Creation {
            counter: "groups",
            limit: MAX_GROUPS,
            what: Entity::Group,
            key,
            record: &group,
        };
        self.create_counted(creation, txn).await?;
        Ok(RamOutcome::GroupCreated(Group::from(&group)))
    }

    /// GetGroup.
    pub(super) async fn get_group(&self, name: &GroupName) -> Out {
        let group = self.group_named(name.as_str()).await?;
        Ok(RamOutcome::Group(Group::from(&group.value)))
    }

    /// UpdateGroup: `NewGroupName`, `NewComments`.
    pub(super) async fn update_group(&self, update: &GroupUpdate) -> Out {
        let name = update.group_name.as_str();
        let new_name = update.new_group_name.as_ref().map(GroupName::as_str);
        let comments = update.new_comments.as_deref();
        let stored = self.group_named(name).await?;
        let layout = &self.store().layout;
        let mut group = stored.value.clone();
        let mut txn = Txn::new();
        txn.expect(&layout.group(name), Some(&stored));
        if let Some(new_name) = new_name {
            self.rekey(
                &layout.group(name),
                &layout.group(new_name),
                Entity::Group,
                &mut txn,
            )
            .await?;
            group.name = new_name.to_owned();
            txn.put(
                &layout.group_id(&group.id),
                &NameRef {
                    name: group.name.clone(),
                },
            );
        }
        group.comments = comments.map_or(group.comments, str::to_owned);
        group.updated = self.now();
        txn.put(&layout.group(&group.name), &group);
        self.commit(txn).await?;
        Ok(RamOutcome::Group(Group::from(&group)))
    }

    /// ListGroups.
    pub(super) async fn list_groups(&self, page: &Page) -> Out {
        let page = self
            .page::<GroupRecord>(&self.store().layout.groups(), page)
            .await?;
        Ok(RamOutcome::Groups(Listed {
            items: page
                .items
                .iter()
                .map(|(_, g)| Group::from(&g.value))
                .collect(),
            marker: page.next,
        }))
    }

    /// DeleteGroup: refused while it has members or policies.
    pub(super) async fn delete_group(&self, name: &GroupName) -> Out {
        let name = name.as_str();
        let group = self.group_named(name).await?;
        let layout = &self.store().layout;
        let id = &group.value.id;
        let dependents = [
            (layout.members(id), Entity::GroupUser),
            (layout.attached(EntityKind::Group, id), Entity::GroupPolicy),
        ];
        let mut txn = Txn::new();
        self.require_no_dependents(&dependents, &mut txn).await?;
        txn.expect(&layout.group(name), Some(&group))
            .delete(&layout.group(name))
            .delete(&layout.group_id(id));
        self.delete_counted("groups", txn).await?;
        Ok(RamOutcome::Done)
    }

    /// AddUserToGroup: at most five groups per user.
    pub(super) async fn add_user_to_group(&self, user: &UserName, group: &GroupName) -> Out {
        let (user_name, group_name) = (user.as_str(), group.as_str());
        let user = self.user_named(user_name).await?;
        let group = self.group_named(group_name).await?;
        let layout = &self.store().layout;
        let (uid, gid) = (&user.value.id, &group.value.id);
        let membership = child(&layout.memberships(uid), gid);
        if self.store().get::<Joined>(&membership).await?.is_some() {
            return Err(codes::already_exists(Entity::UserGroup).into());
        }
        let joined = self
            .store()
            .scan::<Joined>(&layout.memberships(uid), "", MAX_GROUPS_PER_USER)
            .await?;
        if joined.len() >= MAX_GROUPS_PER_USER {
            return Err(codes::limit_exceeded(Entity::UserGroup).into());
        }
        let record = Joined { joined: self.now() };
        let mut txn = Txn::new();
        txn.touch(&layout.user(user_name), &user)
            .expect(&layout.group(group_name), Some(&group))
            .absent(&membership)
            .put(&membership, &record)
            .put(&child(&layout.members(gid), uid), &record);
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// RemoveUserFromGroup.
    pub(super) async fn remove_user_from_group(&self, user: &UserName, group: &GroupName) -> Out {
        let user = self.user_named(user.as_str()).await?;
        let group = self.group_named(group.as_str()).await?;
        let layout = &self.store().layout;
        let (uid, gid) = (&user.value.id, &group.value.id);
        let membership = child(&layout.memberships(uid), gid);
        let Some(joined) = self.store().get::<Joined>(&membership).await? else {
            return Err(codes::not_exist(Entity::UserGroup).into());
        };
        let mut txn = Txn::new();
        txn.expect(&membership, Some(&joined))
            .delete(&membership)
            .delete(&child(&layout.members(gid), uid));
        self.commit(txn).await?;
        Ok(RamOutcome::Done)
    }

    /// ListGroupsForUser.
    pub(super) async fn list_groups_for_user(&self, user: &UserName) -> Out {
        let user = self.user_named(user.as_str()).await?;
        let layout = &self.store().layout;
        let memberships = self
            .store()
            .scan_all::<Joined>(&layout.memberships(&user.value.id))
            .await?;
        let mut groups = Vec::new();
        for (gid, joined) in memberships {
            let index = layout.group_id(&gid);
            if let Some(g) = self
                .load_by_id::<GroupRecord>(&index, |l, n| l.group(n))
                .await?
            {
                groups.push(Membership {
                    entity: Group::from(&g),
                    joined: joined.value.joined,
                });
            }
        }
        Ok(RamOutcome::GroupsForUser(groups))
    }

    /// ListUsersForGroup (paged by UserId).
    pub(super) async fn list_users_for_group(&self, group: &GroupName, page: &Page) -> Out {
        let group = self.group_named(group.as_str()).await?;
        let layout = &self.store().layout;
        let page = self
            .page::<Joined>(&layout.members(&group.value.id), page)
            .await?;
        let mut users = Vec::new();
        for (uid, joined) in &page.items {
            let index = layout.user_id(uid);
            if let Some(u) = self
                .load_by_id::<UserRecord>(&index, |l, n| l.user(n))
                .await?
            {
                users.push(Membership {
                    entity: User::from(&u),
                    joined: joined.value.joined,
                });
            }
        }
        Ok(RamOutcome::UsersForGroup(Listed {
            items: users,
            marker: page.next,
        }))
    }
}
