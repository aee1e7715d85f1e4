"""PlanSite: school research-office work plans (教科室工作计划) as a searchable static site."""

__version__ = "0.1.0"
