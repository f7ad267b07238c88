//! Two years of demo demands, generated: a few hundred demands across the
//! demo enterprises, drawn from a table of problems that many enterprises
//! share, written in the enterprise's language (or in Chinese by the
//! coordinator after a call or a visit), and replayed through the real
//! workflow on a clock that walks forward from two years ago to now.
//!
//! Every demand is an actor with its own random stream (a splitmix64
//! seeded from a fixed seed, so the plan is the same on every load): it
//! decides each next step and when it happens — on time or late — from the
//! deadlines the workflow itself set. All demands' steps are taken in the
//! order of their times on one clock, and unrated replies are closed each
//! night as the supervision job would. A step whose time would be after
//! now is not taken: recent demands stay open wherever they have got to.
//! Every enterprise and problem is fictional.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::app::App;
use crate::auth::{Actor, Role};
use crate::calendar::Calendar;
use crate::clock::ManualClock;
use crate::db::Timestamp;
use crate::demands::model::{Demand, DemandDraft, Outcome, Rating, State};
use crate::demands::workflow::{self, ReplyDraft};
use crate::error::Error;
use crate::i18n::Locale;

use super::demands::CATEGORIES;

/// The seed of the whole history.
const SEED: u64 = 0x11A1_5011_DE3A_2026;
/// Demands drawn at random; visits and symposiums add a few more.
const GENERATED: usize = 272;
/// How far back the history reaches, in days.
const SPAN_DAYS: f64 = 718.0;

/// splitmix64: small, fast and good enough for demo data.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }

    /// A number in `lo..=hi`.
    fn range(&mut self, lo: u32, hi: u32) -> u32 {
        lo + self.below(u64::from(hi.saturating_sub(lo)) + 1) as u32
    }

    fn percent(&mut self, p: u64) -> bool {
        self.below(100) < p
    }

    /// In `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }

    /// An index drawn with these weights.
    fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u64 = weights.iter().map(|w| u64::from(*w)).sum();
        let mut roll = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if roll < u64::from(*w) {
                return i;
            }
            roll -= u64::from(*w);
        }
        weights.len() - 1
    }
}

/// Texts in the four languages: zh-CN, ja, ko, en.
type Four = [&'static str; 4];

/// The text of `texts` in `locale`.
fn text_in(locale: Locale, texts: &Four) -> &'static str {
    let index = Locale::ALL.iter().position(|l| *l == locale).unwrap_or(0);
    texts[index]
}

/// A problem enterprises raise. `{n}` in a body is a number from `n`.
struct Problem {
    key: &'static str,
    category: &'static str,
    weight: u32,
    n: (u32, u32),
    title: Four,
    body: Four,
}

const PROBLEMS: &[Problem] = &[
    // Tax and refunds.
    Problem {
        key: "export_refund",
        category: "tax",
        weight: 6,
        n: (30, 75),
        title: [
            "出口退税到账时间长",
            "輸出還付金の入金が遅い",
            "수출 환급금 입금 지연",
            "Export tax refunds are slow to arrive",
        ],
        body: [
            "我司上季度出口退税申报已逾{n}天仍未到账，占用了大量流动资金，希望了解审核进度及加快办理的途径。",
            "前四半期に申請した輸出還付金が{n}日を過ぎても入金されておらず、資金繰りに影響しています。審査の進捗と早期化の方法を教えてください。",
            "지난 분기에 신청한 수출 환급금이 {n}일이 지나도록 입금되지 않아 자금 운용에 부담이 되고 있습니다. 심사 진행 상황과 처리를 앞당길 방법을 알려 주십시오.",
            "Our export VAT refund claim for last quarter was filed {n} days ago and has still not been paid, which ties up working capital. Could you tell us where it stands and how it could be speeded up?",
        ],
    },
    Problem {
        key: "e_invoice",
        category: "tax",
        weight: 3,
        n: (0, 0),
        title: [
            "数电发票开具额度不足",
            "デジタル電子インボイスの発行枠が不足",
            "전자 세금계산서 발행 한도 부족",
            "Digital e-invoice quota runs out",
        ],
        body: [
            "月末集中开票时数电发票的授信额度经常不够用，需要临时申请调增，影响对客户的开票和回款。希望了解额度调整的规则。",
            "月末に請求書の発行が集中すると、デジタル電子インボイスの発行枠が足りなくなり、その都度増枠を申請しなければなりません。枠の調整ルールを教えてください。",
            "월말에 발행이 몰리면 전자 세금계산서 발행 한도가 부족하여 매번 임시 증액을 신청해야 합니다. 한도 조정 기준을 알고 싶습니다.",
            "At month end our quota for fully digital e-invoices regularly runs out and we have to ask for a temporary increase before we can invoice customers. We would like to understand how the quota is set and adjusted.",
        ],
    },
    Problem {
        key: "treaty_royalties",
        category: "tax",
        weight: 2,
        n: (0, 0),
        title: [
            "向境外母公司支付特许权使用费的协定待遇",
            "親会社へのロイヤルティ支払いと租税条約",
            "모회사 로열티 지급 시 조세조약 적용",
            "Treaty rate on royalties paid to the parent company",
        ],
        body: [
            "我司拟向境外母公司支付技术许可费，希望确认能否享受税收协定优惠税率，以及备案需要准备哪些资料。",
            "日本の親会社に技術ライセンス料を支払う予定です。租税条約の軽減税率の適用可否と、届出に必要な書類を確認したいです。",
            "한국 모회사에 기술 라이선스료를 지급할 예정입니다. 조세조약상 제한세율 적용이 가능한지, 필요한 제출 서류는 무엇인지 확인하고 싶습니다.",
            "We plan to pay a technology licence fee to our parent company abroad. Does the reduced tax-treaty rate apply, and which documents must we file?",
        ],
    },
    Problem {
        key: "rd_deduction",
        category: "tax",
        weight: 2,
        n: (0, 0),
        title: [
            "研发费用加计扣除的归集口径",
            "研究開発費の追加控除の範囲",
            "연구개발비 추가공제 적용 범위",
            "Scope of the R&D super deduction",
        ],
        body: [
            "我司为母公司承接的委托研发项目，其费用能否适用研发费用加计扣除？希望明确归集口径。",
            "親会社から受託した研究開発プロジェクトの費用について、研究開発費の追加控除の対象になるか確認したいです。",
            "모회사로부터 위탁받은 연구개발 프로젝트 비용이 연구개발비 추가공제 대상이 되는지 확인하고 싶습니다.",
            "Can the costs of research we carry out under contract for our parent company be counted for the R&D super deduction? We would like the rules on what may be included.",
        ],
    },
    // Customs and logistics.
    Problem {
        key: "inspection_delay",
        category: "customs",
        weight: 6,
        n: (3, 7),
        title: [
            "进口零部件查验等待时间长",
            "輸入部品の検査待ちが長い",
            "수입 부품 검사 대기 시간 과다",
            "Long waits for inspection of imported parts",
        ],
        body: [
            "我司进口的生产用零部件近期平均需要{n}天才能完成查验放行，影响生产计划。希望协调提高查验效率，或了解提前申报等便利措施。",
            "生産用の輸入部品の検査・通関に最近は平均{n}日かかり、生産計画に影響しています。検査の迅速化、または事前申告などの円滑化措置について相談したいです。",
            "생산용 수입 부품의 검사와 통관에 최근 평균 {n}일이 걸려 생산 계획에 차질이 생기고 있습니다. 검사 효율 개선이나 사전 신고 등 간소화 방안을 알고 싶습니다.",
            "Imported production parts currently take {n} days on average to be inspected and released, which disrupts our production plan. We would like faster inspection or to learn about advance declaration and other facilitation.",
        ],
    },
    Problem {
        key: "cold_chain",
        category: "customs",
        weight: 3,
        n: (0, 0),
        title: [
            "进口冷链货物检疫查验慢",
            "輸入コールドチェーン貨物の検疫に時間がかかる",
            "수입 콜드체인 화물 검역 지연",
            "Slow quarantine checks on cold-chain imports",
        ],
        body: [
            "进口冷链原料在口岸的检疫和查验环节耗时较长，冷库费用和货损风险增加。希望协调提高查验效率。",
            "冷凍・冷蔵原料の輸入時に港での検疫・検査に時間がかかり、保管費用と品質劣化のリスクが増えています。効率化をお願いしたいです。",
            "냉동·냉장 원료 수입 시 항구 검역과 검사에 시간이 오래 걸려 보관 비용과 품질 손상 위험이 커지고 있습니다. 검사 효율 개선을 요청합니다.",
            "Chilled and frozen raw materials wait a long time at the port for quarantine and inspection, adding cold-storage costs and the risk of spoilage. We ask for help to speed this up.",
        ],
    },
    Problem {
        key: "equipment_exemption",
        category: "customs",
        weight: 2,
        n: (0, 0),
        title: [
            "进口设备减免税确认办理",
            "輸入設備の関税減免の確認手続き",
            "수입 설비 관세 감면 확인 절차",
            "Duty exemption for imported equipment",
        ],
        body: [
            "我司新产线需进口一批生产设备，希望了解鼓励类项目进口设备减免税的确认流程和所需时间。",
            "新ラインのために生産設備を輸入する予定です。奨励類プロジェクトの輸入設備に対する関税減免の確認手続きと所要期間を教えてください。",
            "신규 라인용 생산 설비를 수입할 예정입니다. 장려류 프로젝트 수입 설비의 관세 감면 확인 절차와 소요 기간을 알려 주십시오.",
            "Our new line needs imported production equipment. What is the procedure, and how long does it take, to confirm the duty exemption for equipment of encouraged projects?",
        ],
    },
    Problem {
        key: "aeo",
        category: "customs",
        weight: 2,
        n: (0, 0),
        title: [
            "申请海关高级认证企业（AEO）",
            "税関AEO認証の取得支援",
            "세관 AEO 공인 신청 지원",
            "Support to become an AEO",
        ],
        body: [
            "我司希望申请海关高级认证，以享受更低查验率等便利，希望得到认证标准解读和辅导。",
            "検査率の低減などのメリットを受けるため、税関の高級認証（AEO）を申請したいと考えています。認証基準の説明と指導をお願いします。",
            "검사율 인하 등의 혜택을 받기 위해 세관 고급 인증(AEO)을 신청하려고 합니다. 인증 기준 설명과 컨설팅을 요청드립니다.",
            "We want to apply for customs Advanced Certified Enterprise (AEO) status to benefit from fewer inspections, and would welcome guidance on the criteria.",
        ],
    },
    // Labour, talent and social insurance.
    Problem {
        key: "skilled_workers",
        category: "labour",
        weight: 4,
        n: (20, 80),
        title: [
            "技能工人招聘困难",
            "技能工の採用難",
            "숙련 기능공 채용 어려움",
            "Hard to recruit skilled workers",
        ],
        body: [
            "我司扩产需新增焊工、数控操作工等技能工人约{n}名，近几个月招聘效果不佳，希望对接职业院校和人社部门的招聘资源。",
            "増産に伴い溶接工やNC旋盤オペレーターなど技能工を約{n}名採用したいのですが、ここ数か月思うように集まりません。職業学校や人社部門の採用支援につないでいただきたいです。",
            "증산에 따라 용접공, CNC 작업자 등 숙련 기능공 약 {n}명이 필요하지만 최근 몇 달간 채용이 잘 되지 않습니다. 직업학교 및 인사 부서의 채용 지원을 연결해 주시기 바랍니다.",
            "Our expansion needs about {n} more skilled workers such as welders and CNC operators, and recruitment has gone badly for months. We would like to be put in touch with vocational schools and the public employment service.",
        ],
    },
    Problem {
        key: "bilingual_talent",
        category: "labour",
        weight: 3,
        n: (0, 0),
        title: [
            "懂外语的技术人才紧缺",
            "日本語ができる技術人材の不足",
            "한국어 가능 기술 인재 부족",
            "Shortage of staff with both languages and technical skills",
        ],
        body: [
            "我司需要既懂外语又懂技术的复合型人才，希望参加市里组织的专场招聘会，并了解人才引进补贴政策。",
            "日本語と技術の両方に通じた人材が不足しています。市が主催する専門の就職説明会への参加と、人材誘致の補助制度について知りたいです。",
            "한국어와 기술을 모두 갖춘 인재가 부족합니다. 시에서 주관하는 전문 채용박람회 참가와 인재 유치 보조금 제도를 알고 싶습니다.",
            "We need staff who combine a foreign language with technical skills. We would like to join a city-organised recruitment fair and learn about talent subsidies.",
        ],
    },
    Problem {
        key: "social_insurance",
        category: "labour",
        weight: 3,
        n: (0, 0),
        title: [
            "外籍派遣员工社会保险缴纳",
            "日本からの派遣社員の社会保険",
            "한국 파견 직원의 사회보험",
            "Social insurance for seconded foreign staff",
        ],
        body: [
            "我司由母公司派遣的外籍员工已在本国参保，希望确认按社会保障协定免缴养老保险的办理方式和所需证明。",
            "日本の親会社から派遣されている社員は日本で年金に加入しています。日中社会保障協定による年金保険の免除手続きと必要な証明書を確認したいです。",
            "한국 모회사에서 파견된 직원들은 한국에서 연금에 가입되어 있습니다. 한중 사회보장협정에 따른 양로보험 면제 절차와 필요한 증명서를 확인하고 싶습니다.",
            "Staff seconded by our parent company are insured at home. We would like to confirm how to obtain the exemption from Chinese pension insurance under the social security agreement, and which certificates are needed.",
        ],
    },
    // Visas and residence.
    Problem {
        key: "work_permits",
        category: "visa",
        weight: 6,
        n: (2, 6),
        title: [
            "外籍技术人员工作许可办理周期长",
            "外国人技術者の就労許可に時間がかかる",
            "외국인 기술자 취업허가 처리 기간 과다",
            "Work permits for foreign engineers take too long",
        ],
        body: [
            "母公司派来的{n}名技术人员需要办理外国人工作许可和居留许可，目前办理时间较长，影响设备安装调试进度。希望了解材料要求并加快办理。",
            "親会社から派遣される技術者{n}名の外国人就労許可と居留許可の手続きに時間がかかり、設備の据付・試運転の日程に影響しています。必要書類の確認と迅速な処理をお願いします。",
            "본사에서 파견하는 기술자 {n}명의 외국인 취업허가와 거류허가 처리에 시간이 오래 걸려 설비 설치·시운전 일정에 차질이 있습니다. 필요 서류를 확인하고 신속한 처리를 요청합니다.",
            "Work and residence permits for {n} engineers sent by our parent company are taking a long time, which is delaying the installation and commissioning of equipment. Please tell us what is required and help speed it up.",
        ],
    },
    Problem {
        key: "families",
        category: "visa",
        weight: 2,
        n: (0, 0),
        title: [
            "随行家属居留许可及子女入学",
            "帯同家族の居留許可と子どもの就学",
            "동반 가족 거류허가 및 자녀 입학",
            "Residence for accompanying families and schooling",
        ],
        body: [
            "外籍员工的配偶和子女随行来连，希望了解家属居留许可的办理方式，以及子女就读国际学校或公立学校的途径。",
            "駐在員の配偶者と子どもが帯同する予定です。家族の居留許可の手続きと、子どもがインターナショナルスクールや公立学校に通う方法を教えてください。",
            "주재원의 배우자와 자녀가 함께 올 예정입니다. 가족 거류허가 절차와 자녀가 국제학교나 공립학교에 다닐 수 있는 방법을 알려 주십시오.",
            "The spouses and children of our expatriate staff will come with them. How do families obtain residence permits, and how can the children attend an international or public school?",
        ],
    },
    Problem {
        key: "passport_held",
        category: "visa",
        weight: 3,
        n: (0, 0),
        title: [
            "居留许可换发期间护照被留存",
            "居留許可の更新中にパスポートが預けられたままになる",
            "거류허가 연장 중 여권 보관 문제",
            "Passports held during residence permit renewal",
        ],
        body: [
            "外籍员工办理居留许可延期时护照需留存较长时间，期间无法出境出差。希望了解能否缩短办理时间或提供加急服务。",
            "駐在員の居留許可の更新中はパスポートが長期間預けられ、その間は海外出張ができません。処理期間の短縮や至急対応が可能か知りたいです。",
            "주재원의 거류허가 연장 기간 동안 여권이 오래 보관되어 해외 출장을 갈 수 없습니다. 처리 기간 단축이나 긴급 처리가 가능한지 알고 싶습니다.",
            "While a residence permit is being renewed the passport is held for a long time and the employee cannot travel abroad. Can processing be shortened or expedited?",
        ],
    },
    // Energy and utilities.
    Problem {
        key: "power_capacity",
        category: "energy",
        weight: 4,
        n: (500, 3000),
        title: [
            "扩产用电增容",
            "増産に伴う受電容量の増強",
            "증산에 따른 전력 증설",
            "More power capacity for expansion",
        ],
        body: [
            "我司新产线投产后用电负荷将增加约{n}千伏安，现有变压器容量不足，希望协调供电部门尽快完成增容接电。",
            "新ラインの稼働により電力負荷が約{n}kVA増える見込みで、既存の変圧器容量では足りません。電力会社による増強工事を早めていただけるよう調整をお願いします。",
            "신규 라인 가동으로 전력 부하가 약 {n}kVA 늘어날 예정이나 기존 변압기 용량이 부족합니다. 전력 회사의 증설 공사를 앞당길 수 있도록 협조를 요청합니다.",
            "Our new line will add about {n} kVA of load, more than our transformers can take. Please help us get the grid connection upgraded quickly.",
        ],
    },
    Problem {
        key: "outage_notice",
        category: "energy",
        weight: 3,
        n: (0, 0),
        title: [
            "计划停电通知时间过短",
            "計画停電の通知が直前すぎる",
            "계획 정전 통보 기간이 너무 짧음",
            "Too little notice of planned outages",
        ],
        body: [
            "供电部门的计划检修停电通常只提前两三天通知，连续生产的设备来不及安排停机，希望延长通知时间或错开生产高峰。",
            "計画停電の通知が2～3日前にしか来ないため、連続運転の設備の停止計画が間に合いません。通知期間の延長か、生産のピークを避けた実施をお願いしたいです。",
            "계획 정전이 2~3일 전에야 통보되어 연속 가동 설비의 정지 일정을 잡기 어렵습니다. 통보 기간 연장이나 생산 피크 시간대를 피한 시행을 요청합니다.",
            "Planned maintenance outages are announced only two or three days ahead, not enough to shut down our continuous processes safely. We ask for longer notice or for outages outside our peak hours.",
        ],
    },
    Problem {
        key: "gas_supply",
        category: "energy",
        weight: 3,
        n: (0, 0),
        title: [
            "冬季天然气限量供应",
            "冬季の天然ガス供給制限",
            "동절기 천연가스 공급 제한",
            "Natural gas rationed in winter",
        ],
        body: [
            "去年冬季用气高峰期我司被限气，导致部分生产线停产，希望提前协调今冬的用气保障。",
            "昨冬の需要ピーク時にガスの供給制限を受け、一部のラインが停止しました。今冬の供給確保について早めに調整をお願いしたいです。",
            "지난겨울 수요 피크 때 가스 공급이 제한되어 일부 라인이 멈췄습니다. 올겨울 공급 보장을 미리 협의하고 싶습니다.",
            "Last winter our gas supply was cut at peak demand and some lines stopped. We would like to secure this winter's supply in advance.",
        ],
    },
    Problem {
        key: "water_pressure",
        category: "energy",
        weight: 2,
        n: (0, 0),
        title: [
            "工业用水压力不稳定",
            "工業用水の水圧が不安定",
            "공업용수 수압 불안정",
            "Unstable industrial water pressure",
        ],
        body: [
            "园区供水管网压力在用水高峰时波动较大，影响我司纯水制备系统的稳定运行，希望协调改善。",
            "団地の給水管網の水圧がピーク時に大きく変動し、純水製造装置の安定運転に影響しています。改善の調整をお願いします。",
            "단지 급수관의 수압이 사용 피크 시간에 크게 변동하여 순수 제조 설비의 안정적인 운전에 영향을 주고 있습니다. 개선을 요청합니다.",
            "Water pressure in the park's mains swings widely at peak hours, disturbing our pure-water plant. We ask for help to fix it.",
        ],
    },
    // Land and construction approval.
    Problem {
        key: "expansion_land",
        category: "land",
        weight: 3,
        n: (1, 5),
        title: [
            "扩建用地供应",
            "工場増設用地の確保",
            "공장 증설 용지 확보",
            "Land for a plant extension",
        ],
        body: [
            "我司计划建设二期厂房，需在现厂区附近新增工业用地约{n}万平方米，希望了解土地供应计划及出让流程。",
            "第二期工場の建設のため、既存工場の近くに約{n}万平方メートルの工業用地が必要です。土地の供給計画と払い下げの手続きを教えてください。",
            "2기 공장 건설을 위해 기존 공장 인근에 약 {n}만㎡의 공업용지가 필요합니다. 토지 공급 계획과 양도 절차를 알려 주십시오.",
            "We plan a second-phase plant and need about {n}0,000 m² of industrial land near our site. What land is planned for supply, and how does the transfer process work?",
        ],
    },
    Problem {
        key: "construction_permits",
        category: "land",
        weight: 3,
        n: (0, 0),
        title: [
            "厂房建设审批环节多、周期长",
            "工場建設の許認可に時間がかかる",
            "공장 건설 인허가 절차 과다",
            "Too many steps to approve construction",
        ],
        body: [
            "我司扩建项目的规划许可、施工许可等审批环节较多，希望实行并联审批或提供全程帮办服务。",
            "増設プロジェクトの計画許可や建築施工許可などの手続きが多く、期間も長くかかっています。並行審査や手続き代行サービスをお願いしたいです。",
            "증설 프로젝트의 계획 허가, 시공 허가 등 인허가 절차가 많고 기간도 깁니다. 병행 심사나 전 과정 대행 서비스를 요청합니다.",
            "Our extension needs planning, construction and other permits one after another. We ask for parallel approval or a single helper through the whole process.",
        ],
    },
    Problem {
        key: "title_certificate",
        category: "land",
        weight: 2,
        n: (0, 0),
        title: [
            "新建厂房不动产权证迟迟未办下",
            "新工場の不動産権利証がまだ発行されない",
            "신축 공장 부동산 권리증 발급 지연",
            "Title certificate for a new plant still not issued",
        ],
        body: [
            "我司新厂房已竣工验收半年，不动产权证仍未办理完成，影响向银行抵押融资。",
            "新工場の竣工検査から半年が経ちましたが、不動産権利証がまだ発行されず、銀行からの担保融資に支障が出ています。",
            "신축 공장의 준공 검사 후 반년이 지났지만 부동산 권리증이 아직 발급되지 않아 은행 담보 대출에 차질이 있습니다.",
            "Our new building passed its completion inspection six months ago, but the property title certificate has still not been issued, so we cannot use it as collateral for a bank loan.",
        ],
    },
    // Complaints about public services.
    Problem {
        key: "repeated_documents",
        category: "service",
        weight: 3,
        n: (0, 0),
        title: [
            "窗口多次要求补交材料",
            "窓口で何度も書類の追加提出を求められる",
            "창구에서 서류 보완을 여러 번 요구",
            "Asked again and again for more documents",
        ],
        body: [
            "我司在办理变更登记时，窗口先后多次要求补交材料，每次只告知一项，希望实行一次性告知。",
            "変更登記の手続きで、窓口から何度も書類の追加提出を求められ、しかも毎回一つずつしか指摘されません。一度にまとめて案内していただきたいです。",
            "변경 등기 처리 과정에서 창구가 여러 차례 서류 보완을 요구했고 매번 한 가지씩만 알려 주었습니다. 한 번에 모두 안내해 주시기 바랍니다.",
            "While registering a change, the service window asked us several times for more documents, one item at a time. We ask to be told everything needed at once.",
        ],
    },
    Problem {
        key: "portal_identity",
        category: "service",
        weight: 3,
        n: (0, 0),
        title: [
            "外籍人员无法在政务服务网实名认证",
            "外国人が行政サービスサイトで本人確認できない",
            "외국인이 정부 서비스 사이트에서 실명 인증 불가",
            "Foreigners cannot verify their identity on the e-government portal",
        ],
        body: [
            "我司外籍法定代表人使用护照无法完成政务服务网的实名认证，很多业务只能到现场办理，希望解决。",
            "外国籍の法定代表者がパスポートでは行政サービスサイトの実名認証を完了できず、多くの手続きを窓口でしか行えません。改善をお願いします。",
            "외국 국적 법정대표가 여권으로 정부 서비스 사이트 실명 인증을 할 수 없어 많은 업무를 현장에서만 처리해야 합니다. 개선을 요청합니다.",
            "Our foreign legal representative cannot complete real-name verification on the government services portal with a passport, so many procedures must be done in person. Please fix this.",
        ],
    },
    Problem {
        key: "commuter_buses",
        category: "service",
        weight: 2,
        n: (0, 0),
        title: [
            "园区员工通勤公交线路不足",
            "工業団地の通勤バスが少ない",
            "단지 출퇴근 버스 노선 부족",
            "Too few commuter buses to the park",
        ],
        body: [
            "园区早晚高峰公交班次少，员工通勤时间长，影响招工留人，希望增开通勤线路。",
            "団地の朝夕のバスの本数が少なく、従業員の通勤に時間がかかり、採用や定着に影響しています。通勤路線の増便をお願いします。",
            "단지의 출퇴근 시간대 버스 운행이 적어 직원들의 통근 시간이 길고 채용과 인력 유지에 영향을 줍니다. 노선 증편을 요청합니다.",
            "There are few buses to the industrial park at rush hours, so commutes are long and it is harder to hire and keep staff. We ask for more commuter routes.",
        ],
    },
    Problem {
        key: "policies_in_chinese_only",
        category: "service",
        weight: 2,
        n: (0, 0),
        title: [
            "惠企政策缺少外文版本",
            "企業支援策に外国語版がない",
            "기업 지원 정책의 외국어 안내 부족",
            "Support policies published only in Chinese",
        ],
        body: [
            "市里发布的惠企政策和申报通知只有中文版本，外籍管理人员难以及时了解，希望提供日文、韩文或英文摘要。",
            "市が発表する企業支援策や申請の案内は中国語版しかなく、外国人管理職がすぐに把握できません。日本語・韓国語・英語の要約を提供していただきたいです。",
            "시에서 발표하는 기업 지원 정책과 신청 공고가 중국어로만 제공되어 외국인 관리자가 제때 파악하기 어렵습니다. 일본어·한국어·영어 요약을 제공해 주시기 바랍니다.",
            "The city's business support policies and application notices are only in Chinese, so foreign managers learn of them late. We ask for summaries in Japanese, Korean or English.",
        ],
    },
];

/// What a category's demands need beyond the problems: who else may help
/// (co-departments), who takes a demand the lead sends back, what the
/// officer asks, and the rule an "explained" answer cites.
struct CategoryPlan {
    key: &'static str,
    co: &'static [&'static str],
    instead: &'static str,
    question: Four,
    basis: Four,
}

const PLANS: &[CategoryPlan] = &[
    CategoryPlan {
        key: "tax",
        co: &["customs"],
        instead: "customs",
        question: [
            "请提供相关申报的日期、金额及纳税人识别号，以便核实。",
            "確認のため、該当する申告の日付、金額と納税者識別番号をお知らせください。",
            "확인을 위해 해당 신고 일자, 금액 및 납세자 식별번호를 알려 주십시오.",
            "To check this, please send the filing dates, amounts and your taxpayer identification number.",
        ],
        basis: [
            "现行税收法律法规及国家税务总局的相关规定，地方税务机关无权调整。",
            "現行の税法および国家税務総局の関連規定により、地方の税務機関には変更する権限がありません。",
            "현행 세법 및 국가세무총국 관련 규정에 따라 지방 세무기관에는 조정 권한이 없습니다.",
            "Current tax law and the rules of the State Taxation Administration, which local tax offices have no power to change.",
        ],
    },
    CategoryPlan {
        key: "customs",
        co: &["tax", "fdi-service"],
        instead: "fdi-service",
        question: [
            "请提供近期涉及的报关单号、货物品名及到港日期。",
            "最近の該当する申告番号、品名および入港日をお知らせください。",
            "최근 해당 신고번호, 품명 및 입항일을 알려 주십시오.",
            "Please send the declaration numbers, goods descriptions and arrival dates concerned.",
        ],
        basis: [
            "《中华人民共和国海关法》及海关总署关于布控查验的规定，查验对象由系统随机确定。",
            "「中華人民共和国税関法」および海関総署の検査に関する規定により、検査対象はシステムで無作為に選ばれます。",
            "「중화인민공화국 세관법」 및 해관총서의 검사 관련 규정에 따라 검사 대상은 시스템에서 무작위로 선정됩니다.",
            "The Customs Law and the General Administration of Customs' rules on inspection: shipments are selected for inspection at random by the system.",
        ],
    },
    CategoryPlan {
        key: "labour",
        co: &["foreign-affairs"],
        instead: "foreign-affairs",
        question: [
            "请补充涉及的人员名单、岗位及相关证明材料。",
            "対象となる社員の名簿、職種と関連する証明書類をお送りください。",
            "해당 직원 명단, 직종 및 관련 증빙 서류를 보내 주십시오.",
            "Please send the list of the staff concerned, their positions and any supporting documents.",
        ],
        basis: [
            "《社会保险法》及相关社会保障协定的规定，免缴仅限协定列明的险种。",
            "「社会保険法」および社会保障協定の規定により、免除は協定に定める保険の種類に限られます。",
            "「사회보험법」 및 사회보장협정의 규정에 따라 면제는 협정에 명시된 보험 종류에 한합니다.",
            "The Social Insurance Law and the social security agreement: the exemption covers only the insurance types the agreement lists.",
        ],
    },
    CategoryPlan {
        key: "visa",
        co: &["hr"],
        instead: "hr",
        question: [
            "请提供相关人员的护照信息页、拟入境时间及在华工作岗位。",
            "対象者のパスポートの顔写真ページ、入国予定日と中国での職務をお送りください。",
            "해당 인원의 여권 정보면, 입국 예정일 및 중국 내 직무를 보내 주십시오.",
            "Please send the passport data pages, planned arrival dates and job titles in China of the people concerned.",
        ],
        basis: [
            "《外国人入境出境管理条例》规定的居留许可审查时限（十五个工作日）。",
            "「外国人入境出境管理条例」に定める居留許可の審査期間（15業務日）。",
            "「외국인 출입국 관리 조례」에 규정된 거류허가 심사 기간(15근무일).",
            "The Regulations on the Administration of Foreigners' Entry and Exit, which allow fifteen working days to examine a residence permit.",
        ],
    },
    CategoryPlan {
        key: "energy",
        co: &["jinpu-committee"],
        instead: "jinpu-committee",
        question: [
            "请提供近十二个月的用能数据及新增负荷的投用时间。",
            "直近12か月のエネルギー使用量と、負荷増加の開始予定時期をお知らせください。",
            "최근 12개월 에너지 사용량과 부하 증가 시작 예정 시기를 알려 주십시오.",
            "Please send your energy use for the last twelve months and when the new load will start.",
        ],
        basis: [
            "供电、供气企业的调度规程及有序用能方案，高峰时段须优先保障居民用能。",
            "電力・ガス事業者の需給調整規程と秩序ある使用計画により、ピーク時は住民向けの供給が優先されます。",
            "전력·가스 공급 기업의 수급 조정 규정 및 질서 있는 사용 방안에 따라 피크 시간에는 주민 공급이 우선입니다.",
            "The utilities' dispatch rules and the orderly-use plan, under which households are served first at peak times.",
        ],
    },
    CategoryPlan {
        key: "land",
        co: &["land", "jinpu-committee"],
        instead: "land",
        question: [
            "请提供项目位置示意图、用地规模测算及投资计划。",
            "プロジェクトの位置図、必要面積の試算と投資計画をお送りください。",
            "프로젝트 위치도, 필요 면적 산정 및 투자 계획을 보내 주십시오.",
            "Please send a site plan, the land area calculation and the investment plan.",
        ],
        basis: [
            "国土空间规划及年度建设用地供应计划，工业用地须通过招拍挂方式公开出让。",
            "国土空間計画と年度建設用地供給計画により、工業用地は入札・競売・公示による公開払い下げが必要です。",
            "국토공간계획 및 연도 건설용지 공급 계획에 따라 공업용지는 입찰·경매·공시 방식으로 공개 양도해야 합니다.",
            "The territorial spatial plan and the annual land supply plan; industrial land must be sold openly by tender, auction or listing.",
        ],
    },
    CategoryPlan {
        key: "service",
        co: &["market"],
        instead: "market",
        question: [
            "请说明办理事项的名称、办理时间和窗口，以便核查。",
            "確認のため、手続きの名称、日時と窓口をお知らせください。",
            "확인을 위해 업무 명칭, 처리 일시와 창구를 알려 주십시오.",
            "So that we can look into it, please tell us which procedure, when, and at which window.",
        ],
        basis: [
            "政务服务事项办事指南规定的申请材料及办理流程。",
            "行政サービス事項の手続きガイドに定める申請書類と手続きの流れ。",
            "정부 서비스 업무 안내서에 규정된 신청 서류 및 처리 절차.",
            "The application documents and procedure laid down in the service guide for the procedure.",
        ],
    },
];

/// Departments that only take demands sent back by another lead, or help
/// as co-departments; they need an officer too.
pub(super) const EXTRA_OFFICERS: [&str; 3] = ["land", "market", "jinpu-committee"];

const REPLIES: [[Four; 2]; 3] = [
    // resolved
    [
        [
            "经与相关部门协调，问题已解决，具体办理结果已告知贵司联系人。如有新的情况请随时联系。",
            "関係部門と調整した結果、問題は解決しました。詳しい結果はご担当者様にお伝えしています。新たな状況があればいつでもご連絡ください。",
            "관계 부서와 협의한 결과 문제가 해결되었습니다. 자세한 처리 결과는 담당자께 안내해 드렸습니다. 새로운 상황이 있으면 언제든지 연락 주십시오.",
            "Working with the departments concerned, we have resolved the matter; your contact has been told the details. Please get in touch if anything new comes up.",
        ],
        [
            "我们已安排专人跟进，相关事项已办理完毕，后续将与贵司建立常态化对接机制。",
            "担当者を指定して対応し、本件の手続きは完了しました。今後は定期的に連絡を取る仕組みを設けます。",
            "전담자를 지정하여 처리하였으며 해당 업무는 완료되었습니다. 앞으로 정기적인 소통 체계를 마련하겠습니다.",
            "An officer was assigned to follow this up and the matter has been completed. We will keep in regular contact from now on.",
        ],
    ],
    // partly resolved
    [
        [
            "部分事项已协调解决；其余事项涉及上级部门权限，我们已向上级反映，将持续跟进并及时告知进展。",
            "一部は調整により解決しました。残りは上級機関の権限に属するため上級機関に報告済みで、引き続きフォローし進捗をお知らせします。",
            "일부 사항은 협의를 통해 해결되었습니다. 나머지는 상급 기관의 권한에 속하여 상급 기관에 보고하였으며, 계속 추진하면서 진행 상황을 알려 드리겠습니다.",
            "Part of the request has been settled. The rest is for a higher authority, to which we have reported it; we will keep following it and tell you how it goes.",
        ],
        [
            "已采取临时措施缓解问题，根本解决尚需一定时间，预计下季度完成，期间我们将定期通报进展。",
            "当面の措置で問題を緩和しましたが、根本的な解決にはなお時間がかかり、来四半期の完了を見込んでいます。その間、定期的に進捗をお知らせします。",
            "임시 조치로 문제를 완화했으나 근본적인 해결에는 시간이 더 필요하며 다음 분기 완료를 예상합니다. 그동안 정기적으로 진행 상황을 알려 드리겠습니다.",
            "Interim measures have eased the problem, but a full fix will take until next quarter; we will update you regularly until then.",
        ],
    ],
    // explained
    [
        [
            "经研究，贵司所提事项按现行规定暂无法办理，依据见政策依据说明。我们已向贵司介绍可行的替代办法，如有疑问欢迎来电。",
            "検討の結果、ご要望の件は現行の規定により対応できません。根拠は政策根拠の欄のとおりです。代わりの方法をご案内しましたので、ご不明な点はお電話ください。",
            "검토 결과 요청하신 사항은 현행 규정상 처리할 수 없습니다. 근거는 정책 근거란을 참고해 주십시오. 대안을 안내해 드렸으니 궁금한 점은 전화 주십시오.",
            "Having looked into it, we cannot do what you ask under the current rules; the basis is given below. We have suggested an alternative; please call us with any questions.",
        ],
        [
            "感谢贵司反映。该事项受现行政策限制，暂不能按来函要求办理，我们将把企业意见纳入政策调研。",
            "ご意見ありがとうございます。本件は現行の政策上の制約により、ご要望どおりの対応はできませんが、いただいたご意見は政策の見直しの参考にいたします。",
            "의견 감사합니다. 본 건은 현행 정책상의 제약으로 요청하신 대로 처리할 수 없으나, 주신 의견은 정책 검토에 반영하겠습니다.",
            "Thank you for raising this. Current policy does not allow us to do it as requested, but we will feed your comments into the policy review.",
        ],
    ],
];

const ANSWERS: [Four; 2] = [
    [
        "相关材料已按要求整理，并已通过邮件发送给经办人，请查收。",
        "ご依頼の資料を整理し、担当者様にメールでお送りしました。ご確認ください。",
        "요청하신 자료를 정리하여 담당자께 이메일로 보내 드렸습니다. 확인 부탁드립니다.",
        "We have put together the documents you asked for and emailed them to the officer in charge.",
    ],
    [
        "补充说明：涉及的人员和时间已核对无误，如需其他材料请随时联系。",
        "補足します。対象者と日程に間違いがないことを確認しました。ほかに必要な資料があればご連絡ください。",
        "보충 설명드립니다. 대상자와 일정이 틀림없음을 확인했습니다. 추가로 필요한 자료가 있으면 연락 주십시오.",
        "To add: we have checked the people and dates concerned. Please let us know if anything else is needed.",
    ],
];

/// The coordinator answers for an enterprise without an account.
const ANSWER_FOR_ENTERPRISE: &str =
    "经电话与企业核实：涉及的人员和时间已确认，企业已将相关材料送至窗口。";

const UNSATISFIED: [Four; 3] = [
    [
        "问题没有得到实质性解决，只是解释了规定。",
        "問題は実質的に解決されておらず、規定の説明だけでした。",
        "문제가 실질적으로 해결되지 않았고 규정 설명뿐이었습니다.",
        "Nothing was actually solved; we were only told the rules.",
    ],
    [
        "答复时间太长，生产已经受到影响。",
        "回答までに時間がかかりすぎ、生産に影響が出てしまいました。",
        "답변까지 시간이 너무 오래 걸려 생산에 이미 영향이 있었습니다.",
        "The answer took too long and production was already affected.",
    ],
    [
        "答复内容与我司反映的问题不完全对应。",
        "回答が当社の指摘した問題に十分対応していません。",
        "답변이 당사가 제기한 문제와 정확히 맞지 않습니다.",
        "The answer does not really address the problem we raised.",
    ],
];

const REJECTIONS: [Four; 2] = [
    [
        "诉求内容不够具体，无法确定需要协调的事项，请补充具体情况后重新提交。",
        "ご要望の内容が具体的でなく、調整すべき事項を特定できません。具体的な状況を補足のうえ、改めてご提出ください。",
        "요청 내용이 구체적이지 않아 협조할 사항을 특정할 수 없습니다. 구체적인 상황을 보충하여 다시 제출해 주십시오.",
        "The request is not specific enough for us to tell what needs coordinating; please add the details and submit it again.",
    ],
    [
        "该事项已有规范的办理渠道，请直接向政务服务中心相应窗口申请，我们已将办事指南发送给贵司联系人。",
        "本件には定められた手続きの窓口があります。行政サービスセンターの該当窓口に直接申請してください。手続きガイドはご担当者様にお送りしました。",
        "본 건은 정해진 처리 창구가 있습니다. 정부 서비스 센터의 해당 창구에 직접 신청해 주십시오. 업무 안내서는 담당자께 보내 드렸습니다.",
        "There is a standard channel for this: please apply directly at the relevant window of the government service centre. We have sent the service guide to your contact.",
    ],
];

// Inside the city: staff write in Chinese.
const RETURN_REASONS: [&str; 3] = [
    "经研究，该事项主要职责不在本单位，请协调改派。",
    "诉求涉及多个部门职责，建议明确牵头单位后再交办。",
    "材料不全，缺少必要的单据信息，请补充后再交办。",
];
const INSIST_NOTES: [&str; 2] = [
    "经核实，该事项属于贵单位职责范围，请按时限办理。",
    "已与企业补充核实相关信息，请继续办理。",
];
const EXTENSION_REASONS: [&str; 3] = [
    "需报上级部门审批，预计无法在原时限内完成。",
    "需多部门会商，会议已排期，申请延期。",
    "需现场踏勘，企业近期不便安排。",
];
const NOTES: [&str; 3] = [
    "已电话联系企业了解详细情况。",
    "已与相关科室会商，正在研究办理意见。",
    "已安排现场走访，核实企业反映的情况。",
];
const SHARED_NOTE: &str = "同类问题近期已有多家企业反映，建议统筹研究、一并答复。";
const INPUTS: [&str; 3] = [
    "我单位已核实相关数据，无异议，请牵头单位统筹答复。",
    "本单位意见：可在职责范围内予以配合。",
    "本单位已安排专人配合现场核查。",
];
const INSTRUCTIONS: [&str; 3] = [
    "请牵头部门抓紧办理，确保尽快答复企业。",
    "此类问题多家企业反映，请研究建立长效机制。",
    "请市商务局跟踪督办，办理结果及时报告。",
];
const REOPEN_NOTES: [&str; 2] = [
    "企业对答复不满意，请牵头部门重新研究办理。",
    "请结合企业反馈意见，补充办理并重新答复。",
];
const CLOSE_NOTES: [&str; 2] = [
    "已向企业当面解释政策依据，企业表示理解，予以办结。",
    "问题受客观条件限制，已纳入年度重点工作持续跟进，本件办结。",
];

/// Visits whose findings became a demand: the visit's day and the problem.
const VISIT_PROBLEMS: [(&str, &str); 12] = [
    ("2025-02-18", "expansion_land"),
    ("2025-03-25", "power_capacity"),
    ("2025-04-22", "bilingual_talent"),
    ("2025-05-20", "inspection_delay"),
    ("2025-06-17", "cold_chain"),
    ("2025-07-15", "work_permits"),
    ("2025-09-09", "gas_supply"),
    ("2025-10-28", "export_refund"),
    ("2025-12-09", "skilled_workers"),
    ("2026-03-17", "equipment_exemption"),
    ("2026-05-12", "construction_permits"),
    ("2026-08-25", "aeo"),
];

/// Enterprises (by their place in enterprises.csv) with their own account:
/// they write on the portal, answer questions and rate replies.
fn has_account(index: usize) -> bool {
    index % 2 == 0 || index == 1
}

/// Accounts held by the Chinese-speaking staff member (关务主管) rather
/// than the expatriate manager.
fn held_in_chinese(index: usize) -> bool {
    matches!(index, 22 | 38)
}

/// Creates the enterprise accounts the history needs (those in `accounts`
/// already are kept), each for one of the enterprise's contacts, in that
/// contact's language.
pub(super) async fn create_accounts(
    app: &App,
    enterprises: &[i64],
    accounts: &mut HashMap<i64, Actor>,
) -> anyhow::Result<()> {
    let system = Actor::system();
    for (index, &id) in enterprises.iter().enumerate() {
        if !has_account(index) || accounts.contains_key(&id) {
            continue;
        }
        let contacts = crate::contacts::service::list(app, &system, id).await?;
        let holder = contacts
            .iter()
            .find(|c| held_in_chinese(index) && c.preferred_locale.as_deref() == Some("zh-CN"))
            .or_else(|| contacts.iter().find(|c| c.is_primary()))
            .or(contacts.first());
        let username = format!("enterprise-{}", index + 1);
        let profile = crate::users::Profile {
            display_name: holder
                .map(|c| c.name.clone())
                .unwrap_or_else(|| format!("企业用户 {}", index + 1)),
            email: Some(format!("{username}@demo.liaison.invalid")),
            role: Role::Enterprise.as_str().to_string(),
            department_id: None,
            enterprise_id: Some(id),
            locale: holder.and_then(|c| c.preferred_locale.clone()),
        };
        let user =
            crate::users::service::create(app, &system, &username, super::PASSWORD, &profile)
                .await?;
        if let Some(contact) = holder {
            crate::contacts::service::link_user(app, &system, id, contact.id, Some(user.id))
                .await?;
        }
        accounts.insert(id, user.actor(&app.config.privacy));
    }
    Ok(())
}

/// Who takes the steps.
pub(super) struct Cast<'a> {
    pub coordinator: &'a Actor,
    pub leader: &'a Actor,
    /// An officer of each department that handles demands, by unit key.
    pub officers: &'a HashMap<&'static str, Actor>,
    /// Enterprise accounts, by enterprise id.
    pub accounts: &'a HashMap<i64, Actor>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Main {
    Submit,
    Triage,
    Assign,
    Receive,
    AfterReturn,
    Ask,
    Answer,
    RequestExtension,
    DecideExtension,
    Reply,
    Rate,
    AfterUnsatisfied,
}

#[derive(Debug, Clone, Copy)]
enum Side {
    Note(&'static str),
    Input(&'static str),
    Instruct,
}

#[derive(Debug, Clone, Copy)]
enum Writer {
    Portal,
    /// The coordinator writes it down: after a call, or at a visit or
    /// symposium (with its engagement).
    Coordinator(&'static str, Option<i64>),
}

/// One demand on its way through the workflow.
struct Agent {
    rng: Rng,
    enterprise_id: i64,
    problem: usize,
    n: u32,
    lang: Locale,
    writer: Writer,
    urgent: bool,
    /// The department expected to sign for it (a unit key).
    lead: &'static str,
    co: Vec<&'static str>,
    demand: Option<Demand>,
    main: Option<(DateTime<Utc>, Main)>,
    side: Vec<(DateTime<Utc>, Side)>,
    /// When its last step was taken.
    last: DateTime<Utc>,
    will_return: bool,
    returned: bool,
    reopened: bool,
    instructed: bool,
    /// Where it is to stay, taking the quickest way there: so that the
    /// demo has each state however the days fall (see [`pin`]).
    pin: Option<State>,
}

impl Agent {
    fn next_at(&self) -> Option<DateTime<Utc>> {
        let side = self.side.iter().map(|(t, _)| *t).min();
        let main = self.main.map(|(t, _)| t);
        match (side, main) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    fn id(&self) -> i64 {
        self.demand.as_ref().map(|d| d.id).unwrap_or_default()
    }

    fn state(&self) -> Option<State> {
        self.demand.as_ref().map(|d| d.state)
    }

    fn problem(&self) -> &'static Problem {
        &PROBLEMS[self.problem]
    }

    fn plan(&self) -> &'static CategoryPlan {
        let key = self.problem().category;
        PLANS.iter().find(|p| p.key == key).unwrap_or(&PLANS[0])
    }

    fn sla(&self) -> &'static str {
        let key = self.problem().category;
        CATEGORIES
            .iter()
            .find(|c| c.0 == key)
            .map(|c| c.2)
            .unwrap_or("enquiry")
    }

    fn reply_due(&self) -> Option<NaiveDate> {
        day(self.demand.as_ref()?.reply_due.as_deref()?)
    }
}

fn day(s: &str) -> Option<NaiveDate> {
    crate::demands::model::parse_date_text(s)
}

/// `day` if it is worked, else the working day before it.
fn working_day_before(calendar: &Calendar, day: NaiveDate) -> NaiveDate {
    let mut d = day;
    while !calendar.is_working_day(d) && (day - d).num_days() < 30 {
        d -= Duration::days(1);
    }
    d
}

fn local_date(t: DateTime<Utc>) -> NaiveDate {
    Timestamp(t).local_date()
}

fn local_minutes(t: DateTime<Utc>) -> u32 {
    use chrono::Timelike;
    let local = Timestamp(t).local_time();
    local.hour() * 60 + local.minute()
}

/// A city day and minute of the day, as UTC.
fn at(day: NaiveDate, minute: u32) -> DateTime<Utc> {
    (Timestamp::city_midnight(day) + Duration::minutes(i64::from(minute))).0
}

const OPENS: u32 = 9 * 60;
const CLOSES: u32 = 17 * 60 + 30;

/// Replays the history. Runs before the hand-written demands.
pub(super) async fn load(
    app: &App,
    units: &HashMap<&str, i64>,
    categories: &HashMap<&str, i64>,
    enterprises: &[i64],
    cast: &Cast<'_>,
) -> anyhow::Result<()> {
    let started = std::time::Instant::now();
    // Never after the real now, nor after the app's (tests move it).
    let now = app.now().0.min(Utc::now());
    let calendar = crate::calendar::service::calendar(app, cast.coordinator).await?;
    let countries: Vec<String> =
        super::rows::<super::DemoEnterprise>("enterprises.csv", super::ENTERPRISES_CSV)?
            .into_iter()
            .map(|e| e.country)
            .collect();
    // The contact a coordinator names when writing a demand down.
    let mut contacts = HashMap::new();
    for &id in enterprises {
        let list = crate::contacts::service::list(app, &Actor::system(), id).await?;
        if let Some(c) = list.iter().find(|c| c.is_primary()).or(list.first()) {
            contacts.insert(id, c.id);
        }
    }
    let engagements = engagements(app, cast.coordinator, enterprises).await?;

    let mut rng = Rng(SEED);
    let mut agents = plan(
        &mut rng,
        now,
        &calendar,
        enterprises,
        &countries,
        cast,
        &engagements,
    );
    agents.sort_by_key(|a| a.main.map(|(t, _)| t));
    pin(&mut agents, now, cast);

    let clock = ManualClock::new(now);
    let past = App {
        clock: Arc::new(clock.clone()),
        ..app.clone()
    };
    let mut run = Run {
        past,
        calendar,
        now,
        cast,
        units,
        categories,
        contacts,
        steps: 0,
        skipped: 0,
    };
    let mut queue = BinaryHeap::new();
    for (i, a) in agents.iter().enumerate() {
        if let Some(t) = a.next_at() {
            queue.push(Reverse((t, i)));
        }
    }
    // Each night, at half past midnight in the city, replies nobody rated
    // in time are closed, as the supervision job does.
    let mut night = match agents.first().and_then(|a| a.next_at()) {
        Some(t) => at(local_date(t) + Duration::days(1), 30),
        None => now + Duration::days(1),
    };
    while let Some(Reverse((t, i))) = queue.pop() {
        while night <= t {
            clock.set(night);
            workflow::close_unrated(&run.past).await?;
            night += Duration::days(1);
        }
        clock.set(t);
        run.step(&mut agents, i, t).await?;
        if let Some(next) = agents[i].next_at() {
            queue.push(Reverse((next, i)));
        }
    }
    while night <= now {
        clock.set(night);
        workflow::close_unrated(&run.past).await?;
        night += Duration::days(1);
    }
    tracing::info!(
        demands = agents.len(),
        steps = run.steps,
        skipped = run.skipped,
        ms = started.elapsed().as_millis() as u64,
        "demo demand history replayed"
    );
    Ok(())
}

/// Visits and symposiums in the history: (day, engagement id, kind,
/// enterprise indexes).
type Engagement = (NaiveDate, i64, &'static str, Vec<usize>);

async fn engagements(
    app: &App,
    coordinator: &Actor,
    enterprises: &[i64],
) -> anyhow::Result<Vec<Engagement>> {
    let list = crate::engagements::service::list(app, coordinator, None, None, None, 200).await?;
    let ids: Vec<i64> = list.iter().map(|e| e.id).collect();
    let links = crate::engagements::service::enterprises_of(app, coordinator, &ids).await?;
    let mut out = Vec::new();
    for e in list {
        let Some(held) = day(&e.held_on) else {
            continue;
        };
        let kind = e.kind.as_str();
        let indexes = links
            .iter()
            .filter(|(g, _)| *g == e.id)
            .filter_map(|(_, ent)| enterprises.iter().position(|x| x == ent))
            .collect();
        out.push((held, e.id, kind, indexes));
    }
    out.sort_by_key(|e| (e.0, e.1));
    Ok(out)
}

/// Short-lived states (a demand sent back, an unsatisfied rating waiting
/// for the coordinator) and the overdue ones would be there or not by
/// chance of the day: one recent demand is pinned to each, taking the
/// quickest way there and stopping. (state, at least days old, needs an
/// enterprise account)
const PINS: [(State, i64, bool); 7] = [
    (State::Accepted, 2, false),
    (State::Replied, 3, false),
    (State::Returned, 6, false),
    (State::AwaitingEnterprise, 8, false),
    (State::Assigned, 16, false),
    (State::Unsatisfied, 21, true),
    (State::InProgress, 25, false),
];

fn pin(agents: &mut [Agent], now: DateTime<Utc>, cast: &Cast<'_>) {
    for (state, days, account) in PINS {
        let chosen = agents.iter_mut().rev().find(|a| {
            a.pin.is_none()
                && a.last <= now - Duration::days(days)
                && (!account || cast.accounts.contains_key(&a.enterprise_id))
        });
        if let Some(a) = chosen {
            a.pin = Some(state);
        }
    }
}

/// The demands to replay: who writes what, when.
fn plan(
    rng: &mut Rng,
    now: DateTime<Utc>,
    calendar: &Calendar,
    enterprises: &[i64],
    countries: &[String],
    cast: &Cast<'_>,
    engagements: &[Engagement],
) -> Vec<Agent> {
    let mut agents = Vec::new();
    // Some enterprises raise much more than others; those with an account
    // write on the portal themselves.
    let weights: Vec<u32> = (0..enterprises.len())
        .map(|i| {
            let base = if has_account(i) { 8 } else { 2 };
            base * rng.range(1, 3)
        })
        .collect();
    let problem_weights: Vec<u32> = PROBLEMS.iter().map(|p| p.weight).collect();
    // Each enterprise has a couple of problems it keeps coming back to.
    let favourites: Vec<[usize; 2]> = (0..enterprises.len())
        .map(|_| {
            [
                rng.weighted(&problem_weights),
                rng.weighted(&problem_weights),
            ]
        })
        .collect();
    let earliest = now - Duration::days(SPAN_DAYS as i64 + 2);

    for _ in 0..GENERATED {
        let index = rng.weighted(&weights);
        let problem = if rng.percent(45) {
            favourites[index][rng.below(2) as usize]
        } else {
            rng.weighted(&problem_weights)
        };
        // More recent demands are denser: the age is skewed towards now.
        let age = SPAN_DAYS * rng.unit().powf(1.4);
        let date = local_date(now - Duration::minutes((age * 1440.0) as i64));
        let portal = has_account(index) && rng.percent(90);
        let submitted = if portal && rng.percent(15) {
            // Evenings and weekends too.
            at(date, rng.range(7 * 60, 23 * 60))
        } else {
            at(working_day_before(calendar, date), rng.range(OPENS, CLOSES))
        };
        // Later today than now: earlier today, or the working day before.
        let submitted = match submitted > now {
            false => submitted,
            true if portal => now - Duration::minutes(i64::from(rng.range(20, 240))),
            true => at(
                working_day_before(calendar, date - Duration::days(1)),
                rng.range(OPENS, CLOSES),
            ),
        };
        if submitted < earliest {
            continue;
        }
        let writer = if portal {
            Writer::Portal
        } else {
            Writer::Coordinator("phone", None)
        };
        agents.push(agent(
            rng,
            index,
            problem,
            writer,
            submitted,
            enterprises,
            countries,
            cast,
        ));
    }

    // Visits and symposiums: what an enterprise raised there is written
    // down by the coordinator within a day or two.
    for (held, id, kind, indexes) in engagements {
        for &index in indexes {
            if *kind == "symposium" && !rng.percent(45) {
                continue;
            }
            let known = VISIT_PROBLEMS
                .iter()
                .find(|(d, _)| day(d) == Some(*held))
                .and_then(|(_, key)| PROBLEMS.iter().position(|p| p.key == *key));
            let problem = match known {
                Some(p) if *kind == "visit" => p,
                _ => rng.weighted(&problem_weights),
            };
            let date = calendar.add_working_days(*held, rng.range(0, 2));
            let submitted = at(date, rng.range(OPENS, CLOSES));
            if submitted >= now || submitted < earliest {
                continue;
            }
            let writer = Writer::Coordinator(kind, Some(*id));
            agents.push(agent(
                rng,
                index,
                problem,
                writer,
                submitted,
                enterprises,
                countries,
                cast,
            ));
        }
    }
    agents
}

#[allow(clippy::too_many_arguments)]
fn agent(
    rng: &mut Rng,
    index: usize,
    problem: usize,
    writer: Writer,
    submitted: DateTime<Utc>,
    enterprises: &[i64],
    countries: &[String],
    cast: &Cast<'_>,
) -> Agent {
    let enterprise_id = enterprises[index];
    let native = match countries.get(index).map(String::as_str) {
        Some("KR") => Locale::Ko,
        Some("JP") => Locale::Ja,
        _ => Locale::En,
    };
    let lang = match writer {
        Writer::Coordinator(..) => Locale::ZhCn,
        Writer::Portal => {
            let own = cast
                .accounts
                .get(&enterprise_id)
                .and_then(|a| a.locale)
                .unwrap_or(native);
            match own {
                Locale::ZhCn => Locale::ZhCn,
                _ if rng.percent(16) => Locale::En,
                _ => native,
            }
        }
    };
    let p = &PROBLEMS[problem];
    let lead = CATEGORIES
        .iter()
        .find(|c| c.0 == p.category)
        .map(|c| c.1)
        .unwrap_or("fdi-service");
    Agent {
        rng: Rng(rng.next()),
        enterprise_id,
        problem,
        n: rng.range(p.n.0, p.n.1),
        lang,
        writer,
        urgent: rng.percent(5),
        lead,
        co: Vec::new(),
        demand: None,
        main: Some((submitted, Main::Submit)),
        side: Vec::new(),
        last: submitted,
        will_return: false,
        returned: false,
        reopened: false,
        instructed: false,
        pin: None,
    }
}

/// The replay: one clock, the cast, and counts for the log.
struct Run<'a> {
    past: App,
    calendar: Arc<Calendar>,
    now: DateTime<Utc>,
    cast: &'a Cast<'a>,
    units: &'a HashMap<&'a str, i64>,
    categories: &'a HashMap<&'a str, i64>,
    contacts: HashMap<i64, i64>,
    steps: usize,
    skipped: usize,
}

impl Run<'_> {
    /// A working moment `days` working days after `from` (0: a little
    /// later the same working day, or the next working morning).
    fn later(&self, rng: &mut Rng, from: DateTime<Utc>, days: u32) -> DateTime<Utc> {
        let today = local_date(from);
        if days == 0 {
            let t = from + Duration::minutes(i64::from(rng.range(10, 150)));
            if local_date(t) == today
                && self.calendar.is_working_day(today)
                && (OPENS..=CLOSES).contains(&local_minutes(t))
            {
                return t;
            }
            if self.calendar.is_working_day(today) && local_minutes(t) < OPENS {
                return at(today, rng.range(OPENS, OPENS + 120));
            }
            let next = self.calendar.add_working_days(today, 1);
            return at(next, rng.range(OPENS, OPENS + 120));
        }
        let d = self.calendar.add_working_days(today, days);
        at(d, rng.range(OPENS, CLOSES))
    }

    /// Some working moment on `day` (the next working day if it is off).
    fn on(&self, rng: &mut Rng, day: NaiveDate) -> DateTime<Utc> {
        at(
            self.calendar.this_or_next_working_day(day),
            rng.range(OPENS, CLOSES),
        )
    }

    /// Schedules the agent's next step, unless it would be after now.
    fn next(&self, a: &mut Agent, t: DateTime<Utc>, step: Main) {
        let t = t.max(a.last + Duration::minutes(1));
        a.main = (t <= self.now).then_some((t, step));
    }

    fn aside(&self, a: &mut Agent, t: DateTime<Utc>, side: Side) {
        let t = t.max(a.last + Duration::minutes(1));
        if t <= self.now {
            a.side.push((t, side));
        }
    }

    fn officer(&self, unit: &str) -> anyhow::Result<&Actor> {
        self.cast
            .officers
            .get(unit)
            .ok_or_else(|| anyhow::anyhow!("no demo officer for {unit}"))
    }

    fn unit(&self, key: &str) -> anyhow::Result<i64> {
        self.units
            .get(key)
            .copied()
            .ok_or_else(|| anyhow::anyhow!("no demo department {key}"))
    }

    /// Takes the agent's next step (a side step if one is due first).
    async fn step(
        &mut self,
        agents: &mut [Agent],
        i: usize,
        t: DateTime<Utc>,
    ) -> anyhow::Result<()> {
        self.steps += 1;
        let side_first = agents[i]
            .side
            .iter()
            .enumerate()
            .min_by_key(|(_, (at, _))| *at)
            .filter(|(_, (at, _))| *at <= t)
            .map(|(k, _)| k);
        if let Some(k) = side_first {
            let (_, side) = agents[i].side.remove(k);
            return self.side(&mut agents[i], side, t).await;
        }
        let Some((_, step)) = agents[i].main.take() else {
            return Ok(());
        };
        // A duplicate may follow an earlier demand on the same problem
        // that is still being handled.
        let merge_into = if step == Main::Triage {
            let problem = agents[i].problem;
            agents[..i]
                .iter()
                .rev()
                .find(|b| {
                    b.problem == problem
                        && matches!(
                            b.state(),
                            Some(State::Accepted | State::Assigned | State::InProgress)
                        )
                })
                .map(|b| b.id())
        } else {
            None
        };
        let shared = agents[..i]
            .iter()
            .filter(|b| b.problem == agents[i].problem && b.demand.is_some())
            .count();
        let a = &mut agents[i];
        a.last = t;
        self.main(a, step, t, merge_into, shared).await?;
        if a.pin.is_some() && a.pin == a.state() {
            a.main = None;
            a.side.clear();
        }
        Ok(())
    }

    async fn side(&mut self, a: &mut Agent, side: Side, t: DateTime<Utc>) -> anyhow::Result<()> {
        a.last = t;
        let id = a.id();
        let (result, what) = match side {
            Side::Note(text) => {
                let officer = self.officer(a.lead)?;
                (workflow::note(&self.past, officer, id, text).await, "note")
            }
            Side::Input(unit) => {
                let text = a.rng.pick(&INPUTS);
                let officer = self.officer(unit)?;
                (workflow::note(&self.past, officer, id, text).await, "input")
            }
            Side::Instruct => {
                let text = a.rng.pick(&INSTRUCTIONS);
                let leader = self.cast.leader;
                (
                    workflow::instruct(&self.past, leader, id, text).await,
                    "instruct",
                )
            }
        };
        self.settle(a, result, what)?;
        Ok(())
    }

    /// Keeps the demand a step returned; a refused step ends the agent
    /// (logged) rather than the whole demo.
    fn settle(
        &mut self,
        a: &mut Agent,
        result: crate::error::Result<Demand>,
        what: &str,
    ) -> anyhow::Result<bool> {
        match result {
            Ok(d) => {
                a.demand = Some(d);
                Ok(true)
            }
            Err(Error::Invalid(problems)) => {
                tracing::warn!(demand = a.id(), step = what, ?problems, "demo step refused");
                self.skipped += 1;
                a.main = None;
                a.side.clear();
                Ok(false)
            }
            Err(e) => Err(anyhow::Error::from(e).context(format!("demo step {what}"))),
        }
    }

    async fn main(
        &mut self,
        a: &mut Agent,
        step: Main,
        t: DateTime<Utc>,
        merge_into: Option<i64>,
        shared: usize,
    ) -> anyhow::Result<()> {
        let past = self.past.clone();
        let coordinator = self.cast.coordinator;
        let id = a.id();
        match step {
            Main::Submit => {
                let p = a.problem();
                let (writer, source, engagement_id) = match a.writer {
                    Writer::Portal => (
                        self.cast
                            .accounts
                            .get(&a.enterprise_id)
                            .ok_or_else(|| anyhow::anyhow!("no demo account"))?,
                        "portal",
                        None,
                    ),
                    Writer::Coordinator(source, engagement) => (coordinator, source, engagement),
                };
                let by_coordinator = source != "portal";
                let category_id = (by_coordinator || a.rng.percent(70))
                    .then(|| self.categories.get(p.category).copied())
                    .flatten();
                let draft = DemandDraft {
                    enterprise_id: Some(a.enterprise_id),
                    contact_id: by_coordinator
                        .then(|| self.contacts.get(&a.enterprise_id).copied())
                        .flatten(),
                    title: text_in(a.lang, &p.title).into(),
                    body: text_in(a.lang, &p.body).replace("{n}", &a.n.to_string()),
                    lang: Some(a.lang.tag().into()),
                    category_id,
                    priority: Some(if a.urgent { "urgent" } else { "normal" }.into()),
                    source: Some(source.into()),
                    engagement_id,
                    confidential: false,
                };
                let result = crate::demands::service::submit(&past, writer, &draft).await;
                if self.settle(a, result, "submit")? {
                    // A coordinator who wrote it down takes it up at once;
                    // the portal's wait for the next working day or two.
                    let days = if by_coordinator || a.pin.is_some() {
                        0
                    } else {
                        a.rng.pick(&[0, 0, 0, 1, 1, 2])
                    };
                    let next = self.later(&mut a.rng, t, days);
                    self.next(a, next, Main::Triage);
                }
            }
            Main::Triage => {
                let free = a.pin.is_none();
                if let Some(into) = merge_into.filter(|_| free && a.rng.percent(15)) {
                    let result = workflow::merge(&past, coordinator, id, into).await;
                    self.settle(a, result, "merge")?;
                } else if free && a.rng.percent(4) {
                    let reason = text_in(a.lang, &REJECTIONS[a.rng.below(2) as usize]);
                    let result = workflow::reject(&past, coordinator, id, reason).await;
                    self.settle(a, result, "reject")?;
                } else {
                    let category = self.categories.get(a.problem().category).copied();
                    let result = workflow::accept(&past, coordinator, id, category).await;
                    if self.settle(a, result, "accept")? {
                        let mut days = a.rng.pick(&[0, 0, 0, 0, 1, 1, 1, 2, 3]);
                        if a.pin.is_some() {
                            days = 0;
                        }
                        let next = self.later(&mut a.rng, t, days);
                        self.next(a, next, Main::Assign);
                    }
                }
            }
            Main::Assign => {
                let plan = a.plan();
                if a.rng.percent(20) {
                    let first = a.rng.pick(plan.co);
                    a.co.push(first);
                    if plan.co.len() > 1 && a.rng.percent(40) {
                        a.co = plan.co.to_vec();
                    }
                }
                a.co.retain(|c| *c != a.lead);
                let co: Vec<i64> =
                    a.co.iter()
                        .map(|c| self.unit(c))
                        .collect::<anyhow::Result<_>>()?;
                let result = workflow::assign(&past, coordinator, id, None, &co).await;
                if self.settle(a, result, "assign")? {
                    a.will_return = match a.pin {
                        Some(pin) => pin == State::Returned,
                        None => a.rng.percent(7),
                    };
                    let next = self.receive_at(a, t, false);
                    self.next(a, next, Main::Receive);
                }
            }
            Main::Receive => {
                let officer = self.officer(a.lead)?;
                if a.will_return && !a.returned {
                    a.returned = true;
                    let reason = a.rng.pick(&RETURN_REASONS);
                    let result = workflow::return_to_coordinator(&past, officer, id, reason).await;
                    if self.settle(a, result, "return")? {
                        let days = a.rng.pick(&[0, 0, 1, 1, 2]);
                        let next = self.later(&mut a.rng, t, days);
                        self.next(a, next, Main::AfterReturn);
                    }
                } else {
                    let result = workflow::sign_for(&past, officer, id).await;
                    if self.settle(a, result, "sign_for")? {
                        self.start_work(a, t, shared);
                    }
                }
            }
            Main::AfterReturn => {
                let result = if a.rng.percent(50) {
                    let note = a.rng.pick(&INSIST_NOTES);
                    workflow::insist(&past, coordinator, id, note).await
                } else {
                    // Sent to the department the lead pointed to.
                    a.lead = a.plan().instead;
                    a.co.retain(|c| *c != a.lead);
                    let lead = self.unit(a.lead)?;
                    let co: Vec<i64> =
                        a.co.iter()
                            .map(|c| self.unit(c))
                            .collect::<anyhow::Result<_>>()?;
                    workflow::assign(&past, coordinator, id, Some(lead), &co).await
                };
                if self.settle(a, result, "insist_or_reassign")? {
                    let next = self.receive_at(a, t, true);
                    self.next(a, next, Main::Receive);
                }
            }
            Main::Ask => {
                let question = text_in(a.lang, &a.plan().question);
                let result = workflow::ask(&past, self.officer(a.lead)?, id, question).await;
                if self.settle(a, result, "ask")? {
                    let days = if a.rng.percent(8) {
                        a.rng.range(8, 20)
                    } else {
                        a.rng.range(1, 6)
                    };
                    let next = self.later(&mut a.rng, t, days);
                    self.next(a, next, Main::Answer);
                }
            }
            Main::Answer => {
                let account = self
                    .cast
                    .accounts
                    .get(&a.enterprise_id)
                    .filter(|_| a.rng.percent(85));
                let result = match account {
                    Some(own) => {
                        let text = text_in(a.lang, &ANSWERS[a.rng.below(2) as usize]);
                        workflow::answer(&past, own, id, text).await
                    }
                    None => workflow::answer(&past, coordinator, id, ANSWER_FOR_ENTERPRISE).await,
                };
                if self.settle(a, result, "answer")? {
                    self.toward_reply(a, t, 70, 8);
                }
            }
            Main::RequestExtension => {
                let due = a.reply_due().unwrap_or(local_date(t));
                let new_due = self
                    .calendar
                    .add_working_days(due.max(local_date(t)), a.rng.range(5, 10));
                let reason = a.rng.pick(&EXTENSION_REASONS);
                let result = workflow::request_extension(
                    &past,
                    self.officer(a.lead)?,
                    id,
                    &new_due.format("%Y-%m-%d").to_string(),
                    reason,
                )
                .await;
                if self.settle(a, result, "request_extension")? {
                    let days = a.rng.pick(&[0, 1, 1, 2]);
                    let next = self.later(&mut a.rng, t, days);
                    self.next(a, next, Main::DecideExtension);
                }
            }
            Main::DecideExtension => {
                let approve = a.rng.percent(75);
                let result = workflow::decide_extension(&past, coordinator, id, approve).await;
                if self.settle(a, result, "decide_extension")? {
                    if approve {
                        self.toward_reply(a, t, 88, 4);
                    } else {
                        self.toward_reply(a, t, 40, 10);
                    }
                }
            }
            Main::Reply => {
                let outcome = match (a.reopened, a.rng.below(100)) {
                    _ if a.pin == Some(State::Unsatisfied) => Outcome::Explained,
                    (false, 0..=57) | (true, 0..=54) => Outcome::Resolved,
                    (false, 58..=84) | (true, 55..=89) => Outcome::PartlyResolved,
                    _ => Outcome::Explained,
                };
                let k = match outcome {
                    Outcome::Resolved => 0,
                    Outcome::PartlyResolved => 1,
                    Outcome::Explained => 2,
                };
                let draft = ReplyDraft {
                    outcome: outcome.as_str().into(),
                    text: text_in(a.lang, &REPLIES[k][a.rng.below(2) as usize]).into(),
                    lang: Some(a.lang.tag().into()),
                    policy_basis: (outcome == Outcome::Explained)
                        .then(|| text_in(a.lang, &a.plan().basis).into()),
                };
                let result = workflow::reply(&past, self.officer(a.lead)?, id, &draft).await;
                if self.settle(a, result, "reply")? {
                    a.side.clear();
                    // Only enterprises with an account rate, and not all
                    // of them; the others are closed as not rated.
                    let rates = match a.pin {
                        Some(pin) => pin == State::Unsatisfied,
                        None => a.rng.percent(80),
                    };
                    if rates && self.cast.accounts.contains_key(&a.enterprise_id) {
                        let days = a.rng.range(0, 4);
                        let next = self.later(&mut a.rng, t, days);
                        self.next(a, next, Main::Rate);
                    }
                }
            }
            Main::Rate => {
                let d = a.demand.as_ref();
                let outcome = d.and_then(|d| d.outcome).unwrap_or(Outcome::Resolved);
                let late =
                    d.is_some_and(
                        |d| match (d.replied_at, d.reply_due.as_deref().and_then(day)) {
                            (Some(at), Some(due)) => at.local_date() > due,
                            _ => false,
                        },
                    );
                let (satisfied, basically) = match outcome {
                    Outcome::Resolved => (70, 25),
                    Outcome::PartlyResolved => (25, 50),
                    Outcome::Explained => (12, 45),
                };
                let penalty = if late { 10 } else { 0 };
                let roll = a.rng.below(100);
                let rating = if a.pin == Some(State::Unsatisfied) {
                    Rating::Unsatisfied
                } else if roll + penalty < satisfied {
                    Rating::Satisfied
                } else if roll + penalty < satisfied + basically {
                    Rating::BasicallySatisfied
                } else {
                    Rating::Unsatisfied
                };
                let reason = match (rating, outcome, late) {
                    (Rating::Unsatisfied, Outcome::Explained, _) => Some(&UNSATISFIED[0]),
                    (Rating::Unsatisfied, _, true) => Some(&UNSATISFIED[1]),
                    (Rating::Unsatisfied, _, false) => Some(&UNSATISFIED[2]),
                    _ => None,
                }
                .map(|r| text_in(a.lang, r));
                let rater = self
                    .cast
                    .accounts
                    .get(&a.enterprise_id)
                    .ok_or_else(|| anyhow::anyhow!("no demo account"))?;
                let result = workflow::rate(&past, rater, id, rating.as_str(), reason).await;
                if self.settle(a, result, "rate")? && rating == Rating::Unsatisfied {
                    let days = a.rng.pick(&[0, 1, 1, 2, 3]);
                    let next = self.later(&mut a.rng, t, days);
                    self.next(a, next, Main::AfterUnsatisfied);
                }
            }
            Main::AfterUnsatisfied => {
                if !a.reopened && a.rng.percent(55) {
                    a.reopened = true;
                    let note = a.rng.pick(&REOPEN_NOTES);
                    let result = workflow::reopen(&past, coordinator, id, note).await;
                    if self.settle(a, result, "reopen")? {
                        if a.rng.percent(50) {
                            let next = self.later(&mut a.rng, t, 1);
                            let text = a.rng.pick(&NOTES);
                            self.aside(a, next, Side::Note(text));
                        }
                        self.toward_reply(a, t, 70, 8);
                    }
                } else {
                    let note = a.rng.pick(&CLOSE_NOTES);
                    let result = workflow::close(&past, coordinator, id, note).await;
                    self.settle(a, result, "close")?;
                }
            }
        }
        Ok(())
    }

    /// When the lead department signs for it (or sends it back): mostly
    /// the same or the next working day (the deadline), sometimes days
    /// late, now and then forgotten for weeks.
    fn receive_at(&self, a: &mut Agent, t: DateTime<Utc>, again: bool) -> DateTime<Utc> {
        let roll = a.rng.below(100);
        let days = match roll {
            _ if a.pin.is_some() => 0,
            0..=57 => 0,
            58..=83 => 1,
            _ if again => 1,
            84..=95 => a.rng.range(2, 4),
            _ => a.rng.range(8, 30),
        };
        self.later(&mut a.rng, t, days)
    }

    /// Signed for: notes, co-departments' input, maybe a question to the
    /// enterprise or a leader's instruction, then the reply.
    fn start_work(&self, a: &mut Agent, t: DateTime<Utc>, shared: usize) {
        if a.rng.percent(30) {
            let days = a.rng.range(0, 1);
            let next = self.later(&mut a.rng, t, days);
            let text = if shared >= 2 && a.rng.percent(40) {
                SHARED_NOTE
            } else {
                a.rng.pick(&NOTES)
            };
            self.aside(a, next, Side::Note(text));
        }
        for co in a.co.clone() {
            if a.rng.percent(75) {
                let days = a.rng.range(1, 3);
                let next = self.later(&mut a.rng, t, days);
                self.aside(a, next, Side::Input(co));
            }
        }
        if shared >= 3 && a.rng.percent(10) {
            // Many enterprises raise this one: the leader asks for it to
            // be solved once.
            a.instructed = true;
            let next = self.later(&mut a.rng, t, 1);
            self.aside(a, next, Side::Instruct);
        }
        if a.pin.is_some() && a.pin != Some(State::AwaitingEnterprise) {
            let days = a.rng.range(0, 1);
            let next = self.later(&mut a.rng, t, days);
            self.next(a, next, Main::Reply);
        } else if a.pin == Some(State::AwaitingEnterprise) || a.rng.percent(18) {
            let days = a.rng.range(0, 1);
            let next = self.later(&mut a.rng, t, days);
            self.next(a, next, Main::Ask);
        } else if !a.urgent && a.rng.percent(10) {
            // The officer sees it will take longer and asks for time on
            // the deadline's day.
            let due = a.reply_due().unwrap_or(local_date(t));
            let at = self.on(&mut a.rng, due).max(self.later(&mut a.rng, t, 0));
            self.next(a, at, Main::RequestExtension);
        } else {
            let (on_time, very_late) = match (a.urgent, a.sla()) {
                (true, _) => (60, 5),
                (false, "enquiry") => (78, 7),
                (false, _) => (76, 8),
            };
            self.toward_reply(a, t, on_time, very_late);
        }
    }

    /// Schedules the reply against the current deadline: on time with
    /// `on_time` percent, very late with `very_late` percent, otherwise a
    /// few working days late. Very late ones often draw an instruction.
    fn toward_reply(&self, a: &mut Agent, t: DateTime<Utc>, on_time: u64, very_late: u64) {
        let today = local_date(t);
        let due = a.reply_due().unwrap_or(today);
        let roll = a.rng.below(100);
        let at = if roll < on_time {
            if due < today {
                self.later(&mut a.rng, t, 0)
            } else {
                let span = self.calendar.working_days_between(today, due);
                let days = a.rng.range(0, span);
                self.later(&mut a.rng, t, days)
            }
        } else if roll < on_time + very_late {
            let days = a.rng.range(6, 25);
            let at = self.on(
                &mut a.rng,
                self.calendar.add_working_days(due.max(today), days),
            );
            if !a.instructed && a.rng.percent(45) {
                a.instructed = true;
                let nudge = self.on(&mut a.rng, self.calendar.add_working_days(due, 2));
                if nudge < at {
                    self.aside(a, nudge, Side::Instruct);
                }
            }
            at
        } else {
            let days = a.rng.range(1, 5);
            self.on(
                &mut a.rng,
                self.calendar.add_working_days(due.max(today), days),
            )
        };
        self.next(a, at, Main::Reply);
    }
}
