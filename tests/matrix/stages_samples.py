"""What the stages' permission-matrix modules share: the running sample of
``tests.stages.running_samples`` (organisations A and B are partners, phase 1 in progress)
and the outcomes that recur across the stages' pages."""

from __future__ import annotations

from tests.permission_matrix import LOGIN, outcomes

# The borough's officers, approvers and administrators read; an evaluator on the panel who
# assesses no gate 403; another borough and every supplier 404.
BOROUGH_READS = outcomes(
    404, officer_a=200, approver_a=200, borough_admin_a=200, evaluator_a=403, anonymous=LOGIN
)
# Only the lead officer acts; the borough's other people 403; anyone else 404.
LEAD_OFFICER_ONLY = outcomes(
    404, officer_a=200, approver_a=403, borough_admin_a=403, evaluator_a=403, anonymous=LOGIN
)
# Organisation A's administrator acts; its other members 403; anyone else 404.
PARTNER_ADMIN_ONLY = outcomes(404, supplier_a_admin=200, supplier_a_member=403, anonymous=LOGIN)
# Organisation A's people read; anyone else 404.
PARTNER_PEOPLE = outcomes(404, supplier_a_admin=200, supplier_a_member=200, anonymous=LOGIN)


def running_sample(personas):
    """The running procurement, built through the services."""
    from tests.stages.running_samples import running

    return running(personas)
