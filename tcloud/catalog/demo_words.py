"""Words the demo catalogue is made of: company names, people, plans, reviews (zh-TW).

Data for demo_catalogue.py. Company names are two characters with their romanisation (for
the vendor's status.<slug>.example.tw address), a trade and a legal form, as Taiwanese IT
firms are named: 雲點科技股份有限公司, 匯峰資訊有限公司.
"""

from __future__ import annotations

# (character, romanisation): the first and second character of a company's brand.
NAME_FIRST = (
    ("雲", "yun"), ("數", "shu"), ("智", "zhi"), ("匯", "hui"), ("宏", "hong"), ("鼎", "ding"),
    ("碩", "shuo"), ("群", "qun"), ("易", "yi"), ("聯", "lian"), ("捷", "jie"), ("享", "xiang"),
    ("優", "you"), ("晶", "jing"), ("遠", "yuan"), ("力", "li"), ("新", "xin"), ("達", "da"),
    ("全", "quan"), ("品", "pin"), ("凱", "kai"), ("維", "wei"), ("昇", "sheng"), ("橙", "cheng"),
    ("藍", "lan"), ("光", "guang"), ("和", "he"), ("永", "yong"), ("佳", "jia"), ("典", "dian"),
)
NAME_SECOND = (
    ("點", "dian"), ("峰", "feng"), ("創", "chuang"), ("訊", "xun"), ("網", "wang"),
    ("騰", "teng"), ("川", "chuan"), ("橋", "qiao"), ("林", "lin"), ("禾", "he"), ("信", "xin"),
    ("邦", "bang"), ("源", "yuan"), ("揚", "yang"), ("德", "de"), ("安", "an"), ("鑫", "xin"),
    ("益", "yi"), ("嘉", "jia"), ("恆", "heng"), ("宇", "yu"), ("陽", "yang"), ("豐", "feng"),
    ("帆", "fan"), ("景", "jing"), ("程", "cheng"), ("晟", "sheng"), ("策", "ce"), ("璽", "xi"),
    ("合", "he"),
)
TRADES = (("科技", "tech"), ("資訊", "info"), ("數位", "digital"), ("雲端", "cloud"),
          ("軟體", "soft"), ("網路", "net"), ("系統", "systems"), ("資訊服務", "services"))
LEGAL_FORMS = ("股份有限公司", "股份有限公司", "股份有限公司", "有限公司")

SURNAMES = "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾周賴徐葉"
GIVEN_NAMES = ("志豪", "雅婷", "家豪", "怡君", "俊傑", "淑芬", "冠宇", "佳穎", "承翰", "詩涵",
               "宗翰", "欣怡", "柏翰", "心怡", "建宏", "美玲", "明哲", "郁婷", "育誠", "思妤")

# Customers a vendor names as references when it applies to be listed.
REFERENCE_CUSTOMERS = (
    "老街豆花", "晨光早午餐", "好日子花店", "大發五金行", "小確幸烘焙坊", "青田補習班", "福氣民宿",
    "安心牙醫診所", "巷口咖啡", "阿嬤的滷肉飯", "海風民宿", "茶香茶行", "金順汽車修配",
    "日日鮮果行",
    "優雅美甲", "山城農場", "明亮眼鏡行", "快樂兒童美語", "美好設計工作室", "順達貨運行",
)

# Demo businesses that write the demo reviews: (name, industry, employees, city, entity).
REVIEWERS = (
    ("林記早餐店", "food_beverage", 5, "taipei", "business_registration"),
    ("晨光咖啡", "food_beverage", 8, "taichung", "business_registration"),
    ("好日子花店", "retail", 3, "tainan", "business_registration"),
    ("大發五金行", "wholesale", 12, "kaohsiung", "company"),
    ("小確幸烘焙坊", "food_beverage", 9, "hsinchu_city", "company"),
    ("安心牙醫診所", "health_care", 14, "new_taipei", "business_registration"),
    ("青田補習班", "education", 7, "taoyuan", "business_registration"),
    ("福氣民宿", "accommodation_tourism", 4, "yilan", "business_registration"),
)

# How each industry is written in a description ("適合 1–30 人的餐飲業、零售業").
INDUSTRY_WORDS = {
    "food_beverage": "餐飲業", "retail": "零售業", "wholesale": "批發貿易業",
    "beauty_hair": "美容美髮業", "manufacturing": "製造業", "logistics": "物流配送業",
    "accommodation_tourism": "住宿與觀光業", "education": "教育與補習班",
    "health_care": "醫療照護業", "professional_services": "專業服務業",
    "agriculture": "農林漁牧業", "construction": "營造與修繕業", "creative_media": "文創與媒體業",
    "other": "其他行業",
}

PLAN_NAMES = (("基本版", "標準版", "進階版"), ("輕量版", "專業版", "旗艦版"),
              ("單店版", "多店版", "企業版"), ("入門方案", "成長方案", "全功能方案"),
              ("小型團隊", "中型團隊", "大型團隊"))
PLAN_UPGRADES = ("專人到場教育訓練 2 小時", "專屬客戶經理", "API 串接", "進階報表",
                 "優先客服", "多門市管理", "資料保存延長為 5 年")

PRODUCT_BRANDS = ("快點", "好好", "易用", "智慧", "輕鬆", "樂活", "速達", "掌櫃", "一指", "隨手",
                  "飛快", "悠活", "齊心", "順手", "亮點", "超值", "愛客", "安心", "e 點", "小幫")

ONBOARDING = (
    "申請後兩個工作天內開通，專人以電話或視訊協助完成初始設定。",
    "提供線上教學影片與操作手冊，第一個月每週一次線上陪跑。",
    "北中南皆有服務人員，可到府完成設定與教育訓練。",
    "開通當天即可使用；既有資料可由我們代為匯入。",
)
SIZE_NOTES = ("一人工作室也能輕鬆上手", "店長與員工各有權限", "分店與總部資料自動彙整",
              "不需要專職資訊人員")

EXPORT_FORMATS = ("csv", "xlsx", "csv", "json", "xlsx")
EXPORT_TEMPLATE = ("後台「資料匯出」可隨時下載{data}（{fmt}）；合約結束後資料保留 30 天供下載，"
                   "期滿依個資法刪除。")

REVIEW_BODIES = {
    5: ("導入一個月就上手，{benefit}。客服回覆也很快。",
        "介面清楚，年紀大的同事也會用，{benefit}。",
        "價格合理又好用，{benefit}，續約沒有猶豫。"),
    4: ("整體好用，{benefit}；報表如果能再多一點自訂就更好。",
        "功能齊全，尖峰時段偶爾稍慢，但客服都有協助處理。",
        "{benefit}，只是剛開始設定花了一點時間。"),
    3: ("功能夠用，但設定有點複雜，花了不少時間才熟悉。",
        "基本需求都有，進階功能要升級方案才有，略貴。"),
    2: ("假日找不到客服，遇到問題只能等到週一。", "匯出的報表格式不太好用，還是要自己再整理。"),
    1: ("上線初期常常連不上，影響營業，希望改善穩定度。",),
}
VENDOR_REPLIES = {
    "good": ("謝謝您的肯定，我們會持續改進！",
             "感謝支持，有任何需要歡迎隨時透過 LINE 與我們聯繫。"),
    "bad": ("很抱歉造成不便，已請專人與您聯繫並協助設定。",
            "感謝建議，此功能已排入下一季更新，上線後會通知您。"),
}
HIDDEN_REASON = "內容含與服務無關的廣告連結"
