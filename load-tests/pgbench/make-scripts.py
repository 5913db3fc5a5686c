#!/usr/bin/env python3
"""pgbench scripts for the message append, one per-message statement against one batched statement.

Writes, next to this script, per-message.sql (N appends of the former single-row statement, pipelined in one
transaction), batched.sql (the same N messages in one unnest statement, as MessageStore does now,
with random ids like per-message.sql) and batched-ordered-ids.sql (the same with time-ordered ids,
as Ids.newOrderedId makes them) for a database with Switchboard's schema and 1,000 conversations
whose ids and visitor ids are built from 1..1000 (see docs/benchmarks.md, "Postgres per message",
for the set-up and the commands).
Usage: make-scripts.py [N]
"""
import os
import sys

N = int(sys.argv[1]) if len(sys.argv) > 1 else 32


def conv(i):
    return f"('00000000-0000-0000-0002-' || lpad(:c{i}::text,12,'0'))::uuid"


def vis(i):
    return f"('00000000-0000-0000-0001-' || lpad(:c{i}::text,12,'0'))::uuid"


sets = "".join(f"\\set c{i} random(1,1000)\n" for i in range(N))

single = sets + "\\startpipeline\nbegin;\n"
for i in range(N):
    single += f"""with c as (update conversations c set last_seq = c.last_seq + 1, updated_at = now()
 where c.id = {conv(i)} and c.status <> 'done' and c.visitor_id = {vis(i)}
 returning c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status, c.last_seq),
m as (insert into messages (id, conversation_id, seq, at, author_type, author_id, author_name, kind, text, client_msg_id)
 select gen_random_uuid(), c.id, c.last_seq, now(), 'customer', {vis(i)}, 'Visitor', 'text', repeat('x',120), md5(random()::text) from c)
select * from c;
"""
single += "commit;\n\\endpipeline\n"


def array(f):
    return "array[" + ",".join(f(i) for i in range(N)) + "]"


batched = sets + f"""with i as (select * from unnest({array(conv)}, {array(vis)}) with ordinality as t(conv, vg, ord)),
l as (select c.id, c.visitor_id, c.status, c.last_seq from conversations c where c.id in (select conv from i) order by c.id for update),
ok as (select i.*, l.last_seq + row_number() over (partition by i.conv order by i.ord) as seq from i join l on l.id = i.conv
        where l.status <> 'done' and l.visitor_id = i.vg),
m as (insert into messages (id, conversation_id, seq, at, author_type, author_id, author_name, kind, text, client_msg_id)
 select gen_random_uuid(), ok.conv, ok.seq, now(), 'customer', ok.vg, 'Visitor', 'text', repeat('x',120), md5(random()::text) from ok),
u as (update conversations c set last_seq = x.seq, updated_at = now() from (select conv, max(seq) seq from ok group by conv) x
       where c.id = x.conv returning c.id, c.workspace_id, c.visitor_id, c.team_id, c.assignee_id, c.status)
select ok.ord, ok.seq, u.* from ok join u on u.id = ok.conv;
"""

# Ids.newOrderedId's layout near enough for the index: the epoch milliseconds first, then random hex.
ordered_id = "(lpad(to_hex((extract(epoch from clock_timestamp()) * 1000)::bigint), 12, '0') || substr(md5(random()::text), 1, 20))::uuid"
batched_ordered = batched.replace("gen_random_uuid()", ordered_id)

here = os.path.dirname(os.path.abspath(__file__))
for name, text in (("per-message.sql", single), ("batched.sql", batched), ("batched-ordered-ids.sql", batched_ordered)):
    with open(os.path.join(here, name), "w") as f:
        f.write(text)
print(f"{here}/per-message.sql, batched.sql and batched-ordered-ids.sql written ({N} messages per transaction)")
