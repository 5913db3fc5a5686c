package io.switchboard.protocol;

/**
 * Who a rendered object is for. A customer's view leaves out agent ids, team ids and anything
 * agent-only; the agent's view is complete.
 */
public enum Audience { CUSTOMER, AGENT }
