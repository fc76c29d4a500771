"""Regenerate the fictional 示例市 monitoring sample (2024) from the literal tables below.

Writes targets.csv, observations.csv, projects.csv and progress.csv beside this file. The catalog,
monitor.yaml, is written by hand; it is read here for each indicator's unit and frequency, and every
table below is checked against it. All values are invented. Standard library only, no randomness:

    python examples/track/make_sample.py

README.md lists the statuses the data is designed to give as of 2024-06-30.
"""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGION = "示例市"
YEAR = 2024

# Annual targets for 2024, in the catalog unit. up: target_low; down (a ceiling): target_high; band: both.
# power_consumption_growth and household_deposits_growth have no target (monitored only).
TARGETS = {
    'gdp_growth': (5.5, None),
    'tertiary_growth': (6.0, None),
    'cpi': (2.0, 3.0),
    'energy_intensity': (2.5, None),
    'power_consumption': (98.0, None),
    'freight_volume': (9600.0, None),
    'new_market_entities': (36000, None),
    'tech_contract_value': (60.0, None),
    'industry_growth': (7.0, None),
    'industrial_output': (2200.0, None),
    'industrial_electricity': (62.0, None),
    'manufacturing_growth': (7.5, None),
    'high_tech_industry_growth': (10.0, None),
    'industrial_profit_growth': (8.0, None),
    'industrial_sales_rate': (98.0, None),
    'capacity_utilization': (75.0, 85.0),
    'new_industrial_enterprises': (120, None),
    'nev_output': (8.0, None),
    'fixed_investment_growth': (6.0, None),
    'fixed_investment': (980.0, None),
    'key_project_investment': (420.0, None),
    'industrial_investment_growth': (10.0, None),
    'private_investment_growth': (4.0, None),
    'infrastructure_investment_growth': (8.0, None),
    'real_estate_investment': (150.0, None),
    'housing_sales_area': (180.0, None),
    'housing_inventory_months': (12.0, 18.0),
    'new_projects_started': (200, None),
    'retail_sales_growth': (6.5, None),
    'retail_sales': (600.0, None),
    'online_retail_sales': (120.0, None),
    'catering_revenue_growth': (8.0, None),
    'service_revenue_growth': (7.0, None),
    'tourist_visits': (3200.0, None),
    'tourism_revenue': (380.0, None),
    'auto_sales_growth': (5.0, None),
    'express_delivery_growth': (12.0, None),
    'trade_level': (320.0, None),
    'trade_growth': (5.0, None),
    'export_value': (210.0, None),
    'export_growth': (6.0, None),
    'import_growth': (3.0, None),
    'fdi': (3.2, None),
    'fdi_growth': (5.0, None),
    'cross_border_ecommerce': (45.0, None),
    'new_foreign_enterprises': (60, None),
    'budget_revenue': (91.9, None),
    'budget_revenue_growth': (6.0, None),
    'tax_revenue': (70.0, None),
    'tax_share': (75.0, None),
    'budget_expenditure': (168.0, None),
    'loans_growth': (9.0, None),
    'deposits_growth': (8.0, None),
    'npl_ratio': (None, 1.5),
    'urban_new_jobs': (3.0, None),
    'surveyed_unemployment': (None, 5.5),
    'urban_income_growth': (6.0, None),
    'rural_income_growth': (7.0, None),
    'affordable_housing': (2000, None),
    'pm25': (None, 35.0),
    'good_air_days': (85.0, None),
    'surface_water_quality': (90.0, None),
    'sewage_treatment_rate': (97.0, None),
    'water_per_gdp': (None, 28.0),
}

# Monthly, January first. cumulative: year-to-date totals; rate: year-to-date rates (2024-01..2024-MM),
# except SINGLE_MONTH ids, whose values are the month's own (2024-MM). A shorter list stops early (late reporting).
MONTHLY = {
    'cpi': ('市统计局月报', [2.1, 2.6, 2.3, 2.2, 2.4, 2.4, 2.5, 2.6, 2.4, 2.3, 2.2, 2.3]),
    'power_consumption': ('市发展改革委调度',
        [6.89, 12.91, 21.52, 30.12, 39.16, 49.49, 57.41, 65.32, 73.63, 81.94, 90.65, 100.94]),
    'power_consumption_growth': ('市发展改革委调度', [8.2, 7.6, 7.1, 6.9, 6.6, 6.8, 6.7, 6.5, 6.4, 6.6, 6.5, 6.7]),
    'new_market_entities': ('市市场监管局登记统计',
        [3005, 5635, 9391, 13148, 17092, 21600, 24480, 27360, 30384, 33408, 36576, 40320]),
    'tech_contract_value': ('市科技局统计',
        [3.59, 6.73, 11.22, 15.7, 20.42, 25.8, 30.97, 36.14, 41.57, 46.99, 52.68, 59.4]),
    'industry_growth': ('市统计局月报', [7.4, 7.1, 6.9, 6.7, 6.5, 6.4, 6.5, 6.6, 6.8, 6.9, 7.0, 7.1]),
    'industrial_output': ('市统计局月报',
        [153.0, 287.0, 478.3, 669.6, 870.4, 1100.0, 1276.0, 1452.0, 1636.8, 1821.6, 2015.2, 2244.0]),
    'manufacturing_growth': ('市统计局月报', [7.2, 7.0, 7.4, 7.6, 7.7, 7.8, 7.8, 7.9, 7.8, 7.9, 8.0, 8.0]),
    'high_tech_industry_growth': ('市统计局月报', [9.6, 9.3, 9.9, 10.2, 10.3, 10.4, 10.5, 10.6, 10.4, 10.6, 10.7, 10.8]),
    'industrial_profit_growth': ('市统计局月报', [5.2, 4.8, 6.9, 7.6, 8.1, 8.3, 8.5, 8.2, 8.6, 8.8, 8.7, 8.8]),
    'industrial_sales_rate': ('市统计局月报', [97.6, 97.8, 98.0, 98.1, 98.2, 98.3, 98.3, 98.4, 98.3, 98.4, 98.5, 98.6]),
    'new_industrial_enterprises': ('市工业和信息化局调度', [8, 16, 26, 37, 47, 60, 70, 80, 90, 101, 112, 123]),
    'nev_output': ('市工业和信息化局调度', [0.57, 1.07, 1.78, 2.5, 3.24, 4.1, 4.76, 5.42, 6.12, 6.81, 7.54, 8.24]),
    'fixed_investment_growth': ('市统计局月报', [5.1, 5.4, 5.8, 6.0, 6.2, 6.3, 6.4, 6.3, 6.5, 6.5, 6.6, 6.7]),
    'fixed_investment': ('市统计局月报',
        [69.5, 130.4, 217.3, 304.2, 395.5, 499.8, 578.2, 656.6, 738.9, 821.2, 907.5, 1009.4]),
    'industrial_investment_growth': ('市统计局月报', [8.8, 9.2, 9.7, 10.0, 10.2, 10.3, 10.5, 10.4, 10.6, 10.8, 10.7, 10.9]),
    'private_investment_growth': ('市统计局月报', [2.6, 3.0, 3.5, 3.9, 4.1, 4.3, 4.4, 4.5, 4.4, 4.6, 4.7, 4.8]),
    'infrastructure_investment_growth': ('市统计局月报', [7.0, 7.3, 7.8, 8.0, 8.1, 8.2, 8.3, 8.4, 8.3, 8.5, 8.6, 8.6]),
    'real_estate_investment': ('市统计局月报',
        [10.23, 19.17, 31.96, 44.74, 58.16, 73.5, 85.5, 97.5, 110.1, 122.7, 135.9, 151.5]),
    'housing_inventory_months': ('市住房城乡建设局统计',
        [16.8, 17.2, 16.5, 16.1, 15.7, 15.3, 15.0, 14.8, 14.6, 14.3, 14.1, 13.9]),
    'new_projects_started': ('市发展改革委调度', [14, 27, 45, 63, 82, 104, 120, 137, 154, 171, 189, 206]),
    'retail_sales_growth': ('市统计局月报', [7.2, 6.9, 6.6, 6.7, 6.7, 6.8, 6.9, 6.8, 7.0, 7.1, 7.0, 7.2]),
    'retail_sales': ('市统计局月报', [40.9, 76.7, 127.8, 179.0, 232.6, 294.0, 342.9, 391.8, 443.2, 494.6, 548.4, 612.0]),
    'online_retail_sales': ('市商务局统计', [10.1, 19.3, 31.2]),
    'catering_revenue_growth': ('市统计局月报', [10.2, 9.6, 9.0, 8.7, 8.5, 8.4, 8.6, 8.5, 8.7, 8.8, 8.9, 8.8]),
    'service_revenue_growth': ('市统计局月报', [6.5, 6.7, 7.0, 7.1, 7.2, 7.3, 7.4, 7.3, 7.5, 7.6, 7.6, 7.7]),
    'tourist_visits': ('市文化广电旅游局统计',
        [231.5, 434.1, 723.5, 1012.9, 1316.7, 1664.0, 1920.0, 2176.0, 2444.8, 2713.6, 2995.2, 3296.0]),
    'tourism_revenue': ('市文化广电旅游局统计',
        [26.96, 50.56, 84.26, 117.97, 153.35, 193.8, 224.2, 254.6, 286.52, 318.44, 351.88, 391.4]),
    'auto_sales_growth': ('市统计局月报', [3.8, 4.2, 4.6, 5.0, 5.1, 5.3, 5.4, 5.6, 5.5, 5.7, 5.8, 5.8]),
    'express_delivery_growth': ('市邮政管理局统计', [14.5, 13.8, 13.1, 12.8, 12.6, 12.4, 12.5, 12.7, 12.6, 12.8, 12.9, 12.8]),
    'trade_level': ('示例海关统计',
        [19.59, 36.73, 61.22, 85.7, 111.42, 140.8, 167.38, 193.97, 221.88, 249.8, 279.04, 316.8]),
    'trade_growth': ('示例海关统计', [3.9, 4.3, 4.8, 5.0, 5.2, 5.3, 5.4, 5.5, 5.5, 5.6, 5.7, 5.8]),
    'export_value': ('示例海关统计',
        [14.61, 27.39, 45.65, 63.91, 83.09, 105.0, 121.8, 138.6, 156.24, 173.88, 192.36, 214.2]),
    'export_growth': ('示例海关统计', [5.0, 5.4, 5.8, 6.0, 6.1, 6.2, 6.3, 6.4, 6.3, 6.5, 6.6, 6.6]),
    'import_growth': ('示例海关统计', [2.1, 2.5, 2.9, 3.1, 3.3, 3.4, 3.5, 3.6, 3.5, 3.7, 3.8, 3.9]),
    'fdi': ('市商务局统计', [0.16, 0.3, 0.5, 0.7, 0.91, 1.15, 1.43, 1.7, 1.99, 2.28, 2.59, 2.94]),
    'fdi_growth': ('市商务局统计', [-15.2, -13.8, -12.1, -10.5, -9.4, -8.6, -7.2, -6.1, -4.8, -3.5, -2.4, -1.6]),
    'cross_border_ecommerce': ('市商务局统计',
        [3.19, 5.99, 9.98, 13.97, 18.16, 22.95, 26.69, 30.43, 34.35, 38.28, 42.39, 46.5]),
    'new_foreign_enterprises': ('市市场监管局登记统计', [4, 8, 13, 19, 25, 31, 36, 41, 47, 52, 58, 64]),
    'budget_revenue': ('市财政局快报', [6.65, 12.47, 20.78, 29.09, 37.81, 47.79, 54.86, 61.93, 69.35, 76.77, 84.55, 93.74]),
    'budget_revenue_growth': ('市财政局快报', [7.8, 7.2, 6.6, 6.5, 6.3, 6.4, 6.5, 6.6, 6.5, 6.6, 6.7, 6.8]),
    'tax_revenue': ('市税务局统计', [5.01, 9.4, 15.66, 21.93, 28.51, 36.03, 41.36, 46.7, 52.3, 57.9, 63.77, 70.7]),
    'tax_share': ('市财政局快报', [73.9, 74.6, 75.1, 75.2, 75.3, 75.4, 75.5, 75.4, 75.6, 75.5, 75.4, 75.4]),
    'budget_expenditure': ('市财政局快报',
        [11.92, 22.35, 37.25, 52.15, 67.8, 85.68, 98.86, 112.04, 125.88, 139.72, 154.22, 171.36]),
    'loans_growth': ('人民银行示例市分行统计', [9.8, 9.6, 9.5, 9.4, 9.3, 9.3, 9.2, 9.3, 9.4, 9.4, 9.5, 9.6]),
    'deposits_growth': ('人民银行示例市分行统计', [8.9, 8.7, 8.6, 8.5, 8.4, 8.4, 8.5, 8.6, 8.5, 8.6, 8.7, 8.8]),
    'household_deposits_growth': ('人民银行示例市分行统计',
        [12.8, 12.5, 12.1, 11.8, 11.6, 11.4, 11.2, 11.1, 10.9, 10.8, 10.6, 10.5]),
    'npl_ratio': ('示例金融监管分局统计', [1.41, 1.4, 1.38, 1.36, 1.34, 1.32, 1.33, 1.31, 1.3, 1.29, 1.28, 1.26]),
    'urban_new_jobs': ('市人力资源社会保障局统计', [0.22, 0.41, 0.68, 0.95, 1.23, 1.56, 1.82, 2.08, 2.35, 2.62, 2.9, 3.24]),
    'surveyed_unemployment': ('市统计局月报', [5.4, 5.6, 5.4, 5.3, 5.2, 5.3, 5.4, 5.3, 5.2, 5.1, 5.1, 5.0]),
    'affordable_housing': ('市住房城乡建设局调度', [145, 271, 452, 633, 823, 1040, 1203, 1366, 1537, 1709, 1888, 2070]),
    'pm25': ('市生态环境局监测', [58.0, 52.0, 44.0, 38.0, 34.0, 37.6, 27.0, 25.0, 29.0, 36.0, 45.0, 53.0]),
    'good_air_days': ('市生态环境局监测', [78.2, 80.5, 82.3, 83.9, 84.8, 85.4, 86.0, 86.3, 86.7, 86.5, 86.1, 85.8]),
    'surface_water_quality': ('市生态环境局监测', [88.9, 89.3, 89.8, 90.0, 90.2, 90.4, 90.6, 90.7, 90.9, 91.0, 90.8, 90.9]),
    'sewage_treatment_rate': ('市城市管理局统计', [96.8, 96.9, 97.1, 97.2, 97.2, 97.3, 97.4, 97.4, 97.5, 97.5, 97.6, 97.6]),
}
SINGLE_MONTH = {'cpi', 'surveyed_unemployment', 'pm25'}

# Ten-day periods (旬): the amount of each 旬 alone, 2024-01-上旬 … 2024-12-下旬 (36 values).
TEN_DAYS = {
    'freight_volume': ('市交通运输局旬报', [
        231.52, 261.4, 253.93,  # 1月
        172.6, 167.21, 199.57,  # 2月
        287.54, 296.25, 287.54,  # 3月
        240.65, 282.14, 307.04,  # 4月
        273.84, 301.23, 337.74,  # 5月
        338.57, 318.65, 338.57,  # 6月
        227.07, 256.37, 249.04,  # 7月
        246.73, 239.02, 285.28,  # 8月
        279.88, 288.36, 279.88,  # 9月
        234.78, 275.26, 299.54,  # 10月
        242.87, 267.16, 299.54,  # 11月
        314.58, 296.07, 314.58,  # 12月
    ]),
    'industrial_electricity': ('示例供电公司旬报', [
        1.68, 1.73, 1.68,  # 1月
        1.09, 1.27, 1.39,  # 2月
        1.61, 1.77, 1.98,  # 3月
        1.82, 1.71, 1.82,  # 4月
        1.74, 1.97, 1.91,  # 5月
        1.97, 1.91, 2.28,  # 6月
        1.98, 2.04, 1.98,  # 7月
        1.82, 2.13, 2.32,  # 8月
        1.5, 1.65, 1.85,  # 9月
        1.62, 1.52, 1.62,  # 10月
        1.55, 1.75, 1.7,  # 11月
        1.76, 1.71, 2.04,  # 12月
    ]),
    'key_project_investment': ('市发展改革委旬报调度', [
        6.31, 6.5, 6.31,  # 1月
        4.62, 5.42, 5.89,  # 2月
        9.56, 10.51, 11.79,  # 3月
        11.92, 11.22, 11.92,  # 4月
        11.85, 13.38, 13.0,  # 5月
        14.27, 13.83, 16.5,  # 6月
        11.25, 11.59, 11.25,  # 7月
        9.89, 11.59, 12.61,  # 8月
        11.25, 12.37, 13.87,  # 9月
        12.75, 12.0, 12.75,  # 10月
        12.68, 14.32, 13.91,  # 11月
        16.36, 15.85, 18.92,  # 12月
    ]),
    'housing_sales_area': ('市住房城乡建设局网签旬报', [
        3.95, 4.35, 4.87,  # 1月
        3.98, 3.75, 3.98,  # 2月
        4.54, 5.12, 4.98,  # 3月
        4.68, 4.54, 5.41,  # 4月
        5.31, 5.47, 5.31,  # 5月
        5.73, 6.72, 7.31,  # 6月
        3.78, 4.16, 4.66,  # 7月
        4.28, 4.03, 4.28,  # 8月
        4.77, 5.39, 5.24,  # 9月
        4.93, 4.77, 5.7,  # 10月
        4.62, 4.76, 4.62,  # 11月
        5.28, 6.19, 6.73,  # 12月
    ]),
}

# Quarterly: cumulative values for 2024Q1, 2024H1, 2024-01..2024-09 and the whole year 2024.
QUARTERLY = {
    'gdp_growth': ('市统计局季报', [5.6, 5.8, 5.7, 5.8]),
    'tertiary_growth': ('市统计局季报', [6.1, 6.3, 6.2, 6.4]),
    'capacity_utilization': ('市统计局季报', [78.6, 79.4, 79.8, 80.1]),
    'urban_income_growth': ('市统计局季报', [5.9, 6.2, 6.1, 6.3]),
    'rural_income_growth': ('市统计局季报', [7.1, 7.3, 7.2, 7.4]),
    'water_per_gdp': ('市水利局统计', [27.8, 27.4, 27.2, 27.0]),
}

# Yearly: one value for 2024. energy_intensity is the only yearly indicator and has no observation at all
# (its 2024 figure is published in 2025): it is the sample's no_data case.
YEARLY: dict[str, tuple[str, float]] = {}
NO_OBSERVATIONS = {'energy_intensity'}

# project_id, name, unit_in_charge, leader, batch, planned_investment (亿元), start, finish
PROJECTS = [
    ('P2024-001', '示例市轨道交通3号线一期', '市交通运输局', '王示范', '开工', 158.0, '2023-06', '2026-12'),
    ('P2024-002', '示例新能源汽车零部件产业园', '市工业和信息化局', '李先行', '开工', 45.0, '2024-02', '2025-12'),
    ('P2024-003', '示例市第一人民医院新院区', '市卫生健康委', '张惠民', '开工', 18.6, '2023-09', '2025-09'),
    ('P2024-004', '示例高新区集成电路封装测试基地', '市科技局', '李先行', '投产', 32.0, '2023-03', '2024-09'),
    ('P2024-005', '示例市老旧小区改造（二期）', '市住房城乡建设局', '刘安居', '开工', 12.5, '2024-03', '2024-12'),
    ('P2024-006', '示例港物流枢纽冷链中心', '市商务局', '陈通达', '签约', 9.8, '2024-04', '2025-10'),
    ('P2024-007', '示例市生活垃圾焚烧发电扩建工程', '市城市管理局', '赵清源', '投产', 7.6, '2023-05', '2024-08'),
    ('P2024-008', '示例锂电池储能材料项目', '市工业和信息化局', '李先行', '投产', 26.0, '2023-07', '2024-10'),
    ('P2024-009', '示例市环城快速路东段', '市交通运输局', '王示范', '开工', 36.5, '2024-01', '2026-06'),
    ('P2024-010', '示例古镇保护与文旅开发项目', '市文化广电旅游局', '陈通达', '签约', 15.0, '2024-05', '2026-12'),
    ('P2024-011', '示例纺织集团5G智慧工厂改造', '市工业和信息化局', '李先行', '投产', 5.2, '2023-10', '2024-07'),
    ('P2024-012', '示例生物医药产业园二期', '市科技局', '李先行', '开工', 22.0, '2024-02', '2026-03'),
    ('P2024-013', '示例市水系连通及水美乡村建设', '市水利局', '赵清源', '开工', 8.4, '2024-03', '2025-06'),
    ('P2024-014', '示例市滨江片区保障性租赁住房', '市住房城乡建设局', '刘安居', '开工', 11.2, '2024-01', '2025-12'),
    ('P2024-015', '示例光伏组件智能制造项目', '市发展改革委', '李先行', '签约', 30.0, '2024-06', '2026-06'),
    ('P2024-016', '示例市职业教育实训基地', '市教育局', '张惠民', '开工', 6.5, '2024-02', '2025-08'),
    ('P2024-017', '示例智能装备产业园', '市工业和信息化局', '李先行', '签约', 18.0, '2024-03', '2026-09'),
    ('P2024-018', '示例市天然气管网互联互通工程', '市发展改革委', '王示范', '投产', 4.8, '2023-11', '2024-09'),
    ('P2024-019', '示例农产品精深加工园', '市农业农村局', '赵清源', '签约', 7.5, '2024-04', '2025-12'),
    ('P2024-020', '示例市智慧停车及充电设施建设', '市城市管理局', '刘安居', '开工', 3.6, '2024-01', '2024-12'),
    ('P2024-021', '示例高速公路连接线', '市交通运输局', '王示范', '开工', 24.0, '2023-04', '2025-12'),
    ('P2024-022', '示例大数据中心（一期）', '市发展改革委', '王示范', '投产', 12.0, '2023-06', '2024-12'),
    ('P2024-023', '示例市中心城区污水处理厂提标改造', '市生态环境局', '赵清源', '投产', 3.2, '2023-08', '2024-08'),
    ('P2024-024', '示例现代纺织产业集群升级项目', '市工业和信息化局', '李先行', '签约', 10.5, '2024-05', '2026-04'),
    ('P2024-025', '示例市体育中心', '市体育局', '张惠民', '开工', 9.0, '2024-03', '2026-03'),
    ('P2024-026', '示例跨境电商产业园', '市商务局', '陈通达', '签约', 6.0, '2024-02', '2025-06'),
    ('P2024-027', '示例抽水蓄能电站前期工程', '市发展改革委', '王示范', '签约', 80.0, '2024-01', '2026-12'),
    ('P2024-028', '示例新型显示面板配套项目', '市工业和信息化局', '李先行', '投产', 14.0, '2023-02', '2024-11'),
    ('P2024-029', '示例市中小学校扩容工程', '市教育局', '张惠民', '开工', 5.4, '2024-02', '2025-08'),
    ('P2024-030', '示例氢能产业示范园', '市发展改革委', '王示范', '签约', 12.0, '2024-04', '2026-06'),
]

# Monthly progress 2024-01 … 2024-06: first month, completed investment since the project's start (亿元,
# cumulative) for each month from it, and milestones by month. P2024-019 has not reported (no rows).
PROGRESS = {
    'P2024-001': ('2024-01', [21.98, 25.02, 28.1, 31.2, 34.34, 37.5],
                  {'2024-02': '盾构机始发', '2024-05': '完成3座车站主体结构'}),
    'P2024-002': ('2024-02', [1.74, 3.73, 5.83, 8.01, 10.23],
                  {'2024-02': '开工仪式', '2024-04': '完成场地平整', '2024-06': '1号厂房主体结构封顶'}),
    'P2024-003': ('2024-01', [3.56, 4.35, 5.15, 5.97, 6.79, 7.63],
                  {'2024-03': '门诊楼主体结构封顶', '2024-06': '住院楼施工至12层'}),
    'P2024-004': ('2024-01', [19.75, 21.74, 23.74, 25.75, 27.78, 29.83],
                  {'2024-03': '生产设备进场', '2024-05': '设备安装调试', '2024-06': '试生产'}),
    'P2024-005': ('2024-03', [1.12, 2.39, 3.73, 5.12],
                  {'2024-03': '完成居民意见征询', '2024-05': '12个小区全面开工'}),
    'P2024-006': ('2024-04', [0.49, 1.05, 1.65],
                  {'2024-04': '完成土地摘牌', '2024-06': '桩基施工'}),
    'P2024-007': ('2024-01', [4.14, 4.65, 5.16, 5.68, 6.2, 6.73],
                  {'2024-02': '主厂房封顶', '2024-05': '锅炉设备安装调试'}),
    'P2024-008': ('2024-01', [10.92, 12.65, 14.4, 16.17, 17.96, 19.76],
                  {'2024-01': '一期生产线投产', '2024-06': '二期设备安装调试'}),
    'P2024-009': ('2024-01', [0.69, 1.47, 2.3, 3.15, 4.03, 4.93],
                  {'2024-01': '完成征地拆迁30%', '2024-04': '完成征地拆迁60%'}),
    'P2024-010': ('2024-05', [0.51, 1.09],
                  {'2024-05': '签订投资协议', '2024-06': '完成规划方案'}),
    'P2024-011': ('2024-01', [1.94, 2.48, 3.03, 3.59, 4.16, 4.73],
                  {'2024-03': '完成5G专网部署', '2024-06': '系统联调'}),
    'P2024-012': ('2024-02', [0.16, 0.34, 0.53, 0.73, 0.93],
                  {'2024-02': '完成项目备案', '2024-05': '环评审批中'}),
    'P2024-013': ('2024-03', [0.48, 1.02, 1.59, 2.18],
                  {'2024-03': '开工', '2024-06': '完成河道清淤8公里'}),
    'P2024-014': ('2024-01', [0.53, 1.14, 1.78, 2.44, 3.12, 3.81],
                  {'2024-02': '完成桩基施工', '2024-06': '3栋主体结构封顶'}),
    'P2024-015': ('2024-06', [1.5],
                  {'2024-06': '签订投资协议'}),
    'P2024-016': ('2024-02', [0.3, 0.65, 1.01, 1.39, 1.78],
                  {'2024-04': '完成基础施工'}),
    'P2024-017': ('2024-03', [0.25, 0.54, 0.84, 1.15],
                  {'2024-03': '签订投资协议', '2024-06': '土地报批中'}),
    'P2024-018': ('2024-01', [1.2, 1.65, 2.11, 2.58, 3.06, 3.54],
                  {'2024-03': '完成管道焊接', '2024-06': '通气试运行'}),
    'P2024-020': ('2024-01', [0.3, 0.63, 0.99, 1.36, 1.74, 2.12],
                  {'2024-03': '完成选址', '2024-06': '首批充电桩投用'}),
    'P2024-021': ('2024-01', [7.14, 7.93, 8.72, 9.53, 10.33, 11.15],
                  {'2024-02': '完成路基工程', '2024-06': '桥梁下部结构完工'}),
    'P2024-022': ('2024-01', [4.88, 5.56, 6.24, 6.93, 7.63, 8.33],
                  {'2024-03': '机房土建完成', '2024-06': '服务器设备安装调试'}),
    'P2024-023': ('2024-01', [1.41, 1.67, 1.93, 2.2, 2.47, 2.74],
                  {'2024-04': '设备安装调试', '2024-06': '通水试运行'}),
    'P2024-024': ('2024-05', [0.46, 0.98],
                  {'2024-05': '签订投资协议'}),
    'P2024-025': ('2024-03', [0.33, 0.71, 1.11, 1.53],
                  {'2024-03': '开工', '2024-06': '完成基础工程'}),
    'P2024-026': ('2024-02', [0.31, 0.67, 1.04, 1.43, 1.82],
                  {'2024-02': '签订投资协议', '2024-05': '完成厂房改造设计'}),
    'P2024-027': ('2024-01', [1.97, 4.22, 6.59, 9.05, 11.56, 14.13],
                  {'2024-01': '完成可行性研究报告', '2024-04': '完成征地拆迁', '2024-06': '施工便道贯通'}),
    'P2024-028': ('2024-01', [7.47, 8.16, 8.85, 9.55, 10.25, 10.96],
                  {'2024-02': '主体工程完工', '2024-05': '设备安装调试'}),
    'P2024-029': ('2024-02', [0.25, 0.54, 0.84, 1.15, 1.48],
                  {'2024-04': '完成基础施工'}),
    'P2024-030': ('2024-04', [0.43, 0.93, 1.45],
                  {'2024-04': '签订投资协议', '2024-06': '完成土地摘牌'}),
}

QUARTER_PERIODS = [f"{YEAR}Q1", f"{YEAR}H1", f"{YEAR}-01..{YEAR}-09", f"{YEAR}"]
TEN_DAY_NAMES = ["上旬", "中旬", "下旬"]


def read_catalog(path: Path) -> dict[str, dict[str, str]]:
    """The indicators of monitor.yaml, by id (a reader for its flat layout only; no YAML library)."""
    catalog: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        stripped = line.strip()
        if stripped.startswith("- "):
            current = {}
            stripped = stripped[2:]
        if current is None or ":" not in stripped:
            continue
        key, value = (part.strip() for part in stripped.split(":", 1))
        current[key] = value.strip('"')
        if key == "id":
            catalog[value] = current
    return catalog


def number(value: float | int | None) -> str:
    """A value as written in the CSV: empty for None, no trailing .0, at most two decimals."""
    if value is None:
        return ""
    value = round(float(value), 2)
    return str(int(value)) if value.is_integer() else repr(value)


def month_period(month: int, single: bool) -> str:
    if single or month == 1:
        return f"{YEAR}-{month:02d}"
    return f"{YEAR}-01..{YEAR}-{month:02d}"


def write_csv(name: str, header: list[str], rows: list[list[str]]) -> None:
    with open(HERE / name, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    print(f"{name}: {len(rows)} rows")


def check(catalog: dict[str, dict[str, str]]) -> None:
    tables = {"month": MONTHLY, "ten_days": TEN_DAYS, "quarter": QUARTERLY, "year": YEARLY}
    seen: set[str] = set()
    for frequency, table in tables.items():
        for indicator_id in table:
            assert indicator_id in catalog, f"{indicator_id}: not in monitor.yaml"
            assert catalog[indicator_id]["frequency"] == frequency, f"{indicator_id}: frequency"
            assert indicator_id not in seen, f"{indicator_id}: twice"
            seen.add(indicator_id)
    assert seen | NO_OBSERVATIONS == set(catalog), set(catalog) ^ (seen | NO_OBSERVATIONS)
    assert set(TARGETS) <= set(catalog)
    assert SINGLE_MONTH <= set(MONTHLY)
    for indicator_id, (_, values) in MONTHLY.items():
        assert 1 <= len(values) <= 12, indicator_id
    for indicator_id, (_, values) in TEN_DAYS.items():
        assert len(values) == 36, indicator_id
    for indicator_id, (_, values) in QUARTERLY.items():
        assert len(values) == 4, indicator_id
    for indicator_id, (low, high) in TARGETS.items():
        direction = catalog[indicator_id]["direction"]
        if direction == "up":
            assert low is not None and high is None, indicator_id
        elif direction == "down":
            assert low is None and high is not None, indicator_id
        else:
            assert low is not None and high is not None and low < high, indicator_id
    project_ids = [p[0] for p in PROJECTS]
    assert len(set(project_ids)) == len(project_ids) and set(PROGRESS) <= set(project_ids)
    for project_id, (first, values, milestones) in PROGRESS.items():
        months = [f"{YEAR}-{m:02d}" for m in range(int(first[5:]), int(first[5:]) + len(values))]
        assert months[-1] <= f"{YEAR}-06" and set(milestones) <= set(months), project_id
        assert values == sorted(values), f"{project_id}: completed investment must not fall"


def main() -> None:
    catalog = read_catalog(HERE / "monitor.yaml")
    check(catalog)
    order = list(catalog)

    write_csv("targets.csv", ["region", "year", "indicator_id", "target_low", "target_high", "unit"],
              [[REGION, str(YEAR), i, number(TARGETS[i][0]), number(TARGETS[i][1]), catalog[i]["unit"]]
               for i in order if i in TARGETS])

    rows: list[list[str]] = []
    for i in order:
        unit = catalog[i]["unit"]
        if i in MONTHLY:
            source, values = MONTHLY[i]
            periods = [month_period(m, i in SINGLE_MONTH) for m in range(1, len(values) + 1)]
        elif i in TEN_DAYS:
            source, values = TEN_DAYS[i]
            periods = [f"{YEAR}-{m:02d}-{name}" for m in range(1, 13) for name in TEN_DAY_NAMES]
        elif i in QUARTERLY:
            source, values = QUARTERLY[i]
            periods = QUARTER_PERIODS
        elif i in YEARLY:
            source, value = YEARLY[i]
            values, periods = [value], [str(YEAR)]
        else:
            continue
        rows += [[REGION, i, period, number(value), unit, source] for period, value in zip(periods, values)]
    write_csv("observations.csv", ["region", "indicator_id", "period", "value", "unit", "source"], rows)

    write_csv("projects.csv", ["project_id", "name", "region", "unit_in_charge", "leader", "batch",
                               "planned_investment", "unit", "start", "finish"],
              [[pid, name, REGION, unit, leader, batch, number(planned), "亿元", start, finish]
               for pid, name, unit, leader, batch, planned, start, finish in PROJECTS])

    rows = []
    for pid, *_ in PROJECTS:
        if pid not in PROGRESS:
            continue
        first, values, milestones = PROGRESS[pid]
        for k, value in enumerate(values):
            period = f"{YEAR}-{int(first[5:]) + k:02d}"
            rows.append([pid, period, number(value), milestones.get(period, "")])
    write_csv("progress.csv", ["project_id", "period", "completed_investment", "milestone"], rows)


if __name__ == "__main__":
    main()
