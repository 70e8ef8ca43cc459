//! A parsed, validated policy document (docs/protocol/policy.md#document-structure).

use crate::action::ActionPattern;
use crate::arn::ResourcePattern;
use crate::condition::ConditionBlock;
use crate::error::PolicyError;
use crate::kind::PolicyKind;
use crate::principal::PrincipalSpec;

/// A validated policy document of one [`PolicyKind`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// What the document is for.
    pub(crate) kind: PolicyKind,
    /// The statements, in document order.
    pub(crate) statements: Vec<Statement>,
    /// A caller-supplied name, reported in evaluation results.
    pub(crate) name: Option<String>,
}

/// `Allow` or `Deny`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Effect {
    /// The statement grants access.
    Allow,
    /// The statement denies access; wins over any Allow.
    Deny,
}

/// A list of patterns, matched positively (`Action`) or negated (`NotAction`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PatternList<P> {
    /// `true` for `NotAction` / `NotResource`.
    pub(crate) negated: bool,
    /// The patterns; never empty.
    pub(crate) patterns: Vec<P>,
}

/// One statement of a policy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    /// The optional `Sid`.
    pub(crate) sid: Option<String>,
    /// `Allow` or `Deny`.
    pub(crate) effect: Effect,
    /// `Action` or `NotAction`.
    pub(crate) actions: PatternList<ActionPattern>,
    /// `Resource` or `NotResource`; `None` in trust policies.
    pub(crate) resources: Option<PatternList<ResourcePattern>>,
    /// `Principal`, in bucket and trust policies.
    pub(crate) principal: Option<PrincipalSpec>,
    /// `Condition`, if any.
    pub(crate) condition: Option<ConditionBlock>,
}

impl Policy {
    /// Parses and validates `json` as a policy of `kind`
    /// (docs/protocol/policy.md#document-structure, #validation-and-size-limits). Never panics.
    pub fn parse(json: &str, kind: PolicyKind) -> Result<Self, PolicyError> {
        crate::parse::parse(json, kind)
    }

    /// Attaches a name (e.g. the RAM policy name) reported in [`crate::MatchedStatement`].
    #[must_use]
    pub fn with_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The name given with [`Policy::with_name`].
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The kind this document was parsed as.
    pub const fn kind(&self) -> PolicyKind {
        self.kind
    }

    /// The statements, in document order.
    pub fn statements(&self) -> &[Statement] {
        &self.statements
    }
}

impl Statement {
    /// The statement's effect.
    pub const fn effect(&self) -> Effect {
        self.effect
    }

    /// The statement's `Sid`, if given.
    pub fn sid(&self) -> Option<&str> {
        self.sid.as_deref()
    }

    /// Whether the statement has a `Condition` block.
    pub const fn has_condition(&self) -> bool {
        self.condition.is_some()
    }
}
