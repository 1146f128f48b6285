"""Standard-form contract version 1 (zh-TW), append-only contract versions, card refund columns.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 12:45:00.000000
"""
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Placeholders in {braces} are filled per order by tcloud.points.contracts (the list of names
# is contracts.PLACEHOLDERS). The body is Markdown; the exact filled text is hashed (SHA-256).
CONTRACT_V1 = """# TCloud 雲市集 SaaS 服務標準契約（第 {contract_version} 版）

## 第一條　契約當事人
- 買方（以下稱「甲方」）：{buyer_name}（統一編號 {buyer_tax_id}）
- 廠商（以下稱「乙方」）：{vendor_name}（統一編號 {vendor_tax_id}）
- 本契約經由 TCloud 雲市集平台（以下稱「平台」）訂立；平台依補助計畫管理補助點數，並非本服務之提供者。

## 第二條　服務內容與方案
- 解決方案：{solution_name}
- 方案：{plan_name}（{billing_period}），使用者帳號 {seats} 個
- 服務期間：自乙方於平台啟用服務之日起 {term_months} 個月

## 第三條　價金與付款
- 服務期間總價：新臺幣 {price_ntd} 元（含稅）
- 以補助點數支付：{points_applied} 點（1 點等於新臺幣 1 元）
- 以信用卡自付：新臺幣 {card_amount_ntd} 元
- 補助點數於結帳時由平台保管（圈存），不直接交付乙方。乙方啟用服務後，平台於服務期間按月撥付點數予乙方，每月約 {monthly_points} 點；未撥付之點數於契約提前終止時退回甲方點數錢包。

## 第四條　服務水準（SLA）
乙方承諾下列五項服務水準，平台將持續量測：
1. 可用率：{sla_availability}
2. 客服支援時段：{sla_support}
3. 服務中斷補償：{sla_compensation}
4. 問題回應時間：{sla_response}
5. 復原點目標（RPO）：{sla_rpo}

## 第五條　違約與補償
乙方未達前條服務水準時，平台依第四條第 3 款之補償級距，於每月結算時自動計算補償並撥入甲方點數錢包，甲方無須另行申請。補償不影響甲方依法請求損害賠償之權利。

## 第六條　資料匯出與契約結束
契約結束或終止時，乙方應於三十日內依甲方要求提供完整資料匯出（格式：{data_export_format}；{data_export_description}），且不得另行收費；匯出完成後乙方應刪除甲方資料，並以書面告知。

## 第七條　個人資料保護
乙方僅得為履行本契約之目的蒐集、處理及利用甲方及其客戶之個人資料，並應遵守個人資料保護法，採取適當之安全維護措施；發生個人資料外洩時，應於知悉後七十二小時內通知甲方及平台。

## 第八條　啟用前取消
乙方啟用服務前，甲方得隨時於平台取消訂單，圈存之補助點數全數退回點數錢包，信用卡自付款項全額退刷。

## 第九條　啟用後之確認與終止
乙方啟用服務後，甲方應於三十日內於平台確認服務確實使用中。經確認未實際使用，或契約提前終止者，尚未撥付予乙方之補助點數退回甲方點數錢包；其他退款依平台管理員核定辦理。

## 第十條　補助款之限制
補助點數僅用於首次導入本解決方案；甲方不得將補助點數轉讓、兌換現金，乙方亦不得提供回扣或其他不當利益。

## 第十一條　其他
本契約以中華民國法律為準據法；因本契約涉訟時，以臺灣臺北地方法院為第一審管轄法院。本契約以電子方式訂立，平台保存甲方接受之契約全文及其雜湊值（SHA-256），作為雙方合意之證明。
"""

APPEND_ONLY = "contract_templates"


def upgrade() -> None:
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('card_closed_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('card_refunded_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch_op.add_column(sa.Column('stripe_refund_id', sa.String(length=80), nullable=True))
    templates = sa.table('contract_templates', sa.column('version', sa.Integer),
                         sa.column('body_md', sa.Text), sa.column('change_note', sa.String),
                         sa.column('created_by_id', sa.Integer),
                         sa.column('created_at', sqlmodel.sql.sqltypes.UTCDateTime()))
    op.bulk_insert(templates, [{"version": 1, "body_md": CONTRACT_V1,
                                "change_note": "初版標準契約", "created_by_id": None,
                                "created_at": datetime(2026, 11, 23, tzinfo=UTC)}])
    # Contract versions are evidence of what buyers accepted: never edited, only added.
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE TRIGGER {APPEND_ONLY}_append_only BEFORE UPDATE OR DELETE
                       ON {APPEND_ONLY} FOR EACH ROW EXECUTE FUNCTION tcloud_refuse_change()""")
    else:
        for verb in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER {APPEND_ONLY}_no_{verb.lower()} BEFORE {verb}
                           ON {APPEND_ONLY} BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY} is append-only');
                           END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY}_append_only ON {APPEND_ONLY}")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {APPEND_ONLY}_no_{verb}")
    op.execute("DELETE FROM contract_templates WHERE version = 1")
    with op.batch_alter_table('orders', schema=None) as batch_op:
        batch_op.drop_column('stripe_refund_id')
        batch_op.drop_column('card_refunded_at')
        batch_op.drop_column('card_closed_at')
