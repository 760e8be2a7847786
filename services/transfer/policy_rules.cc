#include "services/transfer/policy_rules.h"

#include "common/proto_convert/date.h"

namespace seimbang::transfer {

std::vector<domain::Date> PublicHolidays(const v1::HardRules& rules) {
  std::vector<domain::Date> out;
  for (const auto& d : rules.public_holidays()) out.push_back(proto_convert::ToDomain(d));
  return out;
}

v1::Policy EffectivePolicy(const v1::Policy& policy) {
  v1::Policy p = policy;
  if (p.use_zero_values()) return p;
  auto* r = p.mutable_rules();
  if (r->min_months_in_post() == 0) r->set_min_months_in_post(24);
  if (r->exclude_within_months_of_retirement() == 0) r->set_exclude_within_months_of_retirement(12);
  if (r->max_leave_fraction() == 0) r->set_max_leave_fraction(0.2);
  if (r->objection_window_days() == 0) r->set_objection_window_days(10);
  auto* w = p.mutable_weights();
  if (w->base_per_move() == 0) w->set_base_per_move(100);
  if (w->per_km() == 0) w->set_per_km(2);
  if (w->preferred_bonus() == 0) w->set_preferred_bonus(50);
  if (w->avoided_penalty() == 0) w->set_avoided_penalty(200);
  if (w->rotation_bonus() == 0) w->set_rotation_bonus(30);
  if (w->under_need_penalty() == 0) w->set_under_need_penalty(400);
  if (w->over_need_penalty() == 0) w->set_over_need_penalty(150);
  return p;
}

}  // namespace seimbang::transfer
