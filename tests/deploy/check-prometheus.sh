#!/usr/bin/env bash
# promtool: the scrape configurations, the alert rules and their unit tests.
set -euo pipefail
cd "$1/deploy/prometheus"
promtool check config prometheus.yml
promtool check config prometheus-local.yml
promtool check rules alerts.yml
promtool test rules alerts_test.yml
