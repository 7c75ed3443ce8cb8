//! Pure incident and CVD case rules: states, deadline clocks, playbooks, sharing, intake parsing.
