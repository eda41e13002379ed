"""The write path: every write planned against what the store holds, then committed as if alone.

**What a write does.** Every write, from a million-record import to a one-field update, is
a *plan* (``plan``, ``deletion``): load what the store holds that it touches
(``stored_state``, in batches read one ahead by ``read_ahead``), validate it against that
(``domain.validation``), and turn it into the smallest ``ChangeSet`` (``diff``); the
committer (``commit``) applies that in one store transaction and then tells the change
listeners the change set and the new version.

- **Upsert by id** (by key for relationships and decision rights): a written record replaces
  the stored one whole; a single ``update`` or ``link`` is first merged onto the stored
  record (fields not given keep their stored value), so it too is then written whole.
- **No-op writes are not applied**: records equal to their stored version are left out of
  the change set, and an empty change set is not applied at all, so importing the same
  document twice changes nothing, not even the workspace version.
- **``reportsToId``** on a person replaces that person's stored solid REPORTS_TO lines (a
  person moved to a new manager keeps one manager); absent, the lines stay.
- **All or nothing**: any rule broken anywhere raises ``InvalidDocument`` listing every
  issue, and nothing is written.

**Concurrent writes.** Between a write's preparation (lookups, validation, diff) and its
apply, other writers may change what the preparation read, and a write validated against a
state that is gone must not land (two SELF organizations, a REPORTS_TO cycle, a reference to
a record deleted meanwhile). ``WriteCommitter`` applies every write validated against
exactly the state it is applied to, as if writes ran one at a time:

- **Writes of this process.** One *batch* task at a time applies writes: it is the write
  lock. A write is prepared before, outside it, through a ``RecordingReader`` that notes
  what it read in a ``ReadSet`` (``read_set``); the batch applies the plan only if no write
  applied since the preparation began touched any of that (``ReadSet.conflicts_with``),
  and otherwise prepares the write again inside the batch. So only the apply (one store
  round trip and its fsync) is exclusive, not every lookup. Deletes, unlinks and revokes
  are rare and read pages and counts, which a read set describes poorly: they are prepared
  inside the batch from the start.
- **Group commit** (``group``). The writes that queued while a batch ran form the next
  batch, and those of them whose read sets and change sets are disjoint commute: they are
  applied in one transaction, one fsync and one version for all, listeners hear the merged
  change set, and each caller is answered only once it is durable. Under load a write no
  longer waits for one round trip per write ahead of it.
- **Writes of other processes** (``graphsvc import`` while the server runs, a second
  replica on one Neo4j, another ``GraphService`` on the same store) are seen only through
  the workspace version they advance. Each preparation notes the version ``v`` it starts
  from; the apply passes ``expected_version`` = ``v`` plus this committer's own applies
  since ``v`` (those the read-set check arbitrated), and the store compares it inside its
  write transaction (``GraphStore.apply``). On a mismatch the store raises ``VersionMoved``
  having changed nothing, and the write is prepared again in the batch, up to
  ``MAX_ATTEMPTS`` times, then refused with ``Conflict``. So two processes each creating a
  SELF organization give one: the second is validated again and refused. A write prepared
  again holds the store's **write turn** (``GraphStore.write_turn``) from its version read
  to its apply. On SQLite that is a lock file every apply of every process takes
  (``store.sqlite.turn``), so the second preparation is final: workers of ``serve
  --workers N`` writing at once wait for each other instead of refusing. Neo4j has no
  turn; there the retries can run out.
- **Refusals and no-ops** are held to the same rule: a preparation that raised (say
  ``InvalidDocument``) or found nothing to change is answered only if the version shows
  that nothing but this committer's own, arbitrated writes happened since it began, so no
  answer rests on a mix of states.
"""

from graphsvc.services.writes.commit import (
    MAX_ATTEMPTS,
    ChangeListener,
    Plan,
    Prepare,
    ProgressCallback,
    WriteCommitter,
    no_progress,
)
from graphsvc.services.writes.deletion import (
    decision_right_key,
    deletion_plan,
    revoke_plan,
    unlink_plan,
)
from graphsvc.services.writes.diff import stored_form
from graphsvc.services.writes.group import GROUP_MAX_RECORDS, Candidate, grouped, merged
from graphsvc.services.writes.plan import (
    creation_plan,
    document_plan,
    grant_plan,
    link_plan,
    update_plan,
)
from graphsvc.services.writes.read_set import ReadSet, RecordingReader

__all__ = [
    "GROUP_MAX_RECORDS",
    "MAX_ATTEMPTS",
    "Candidate",
    "ChangeListener",
    "Plan",
    "Prepare",
    "ProgressCallback",
    "ReadSet",
    "RecordingReader",
    "WriteCommitter",
    "creation_plan",
    "decision_right_key",
    "deletion_plan",
    "document_plan",
    "grant_plan",
    "grouped",
    "link_plan",
    "merged",
    "no_progress",
    "revoke_plan",
    "stored_form",
    "unlink_plan",
    "update_plan",
]
