#include "valuepact/ingest/cclf/cclf_layout.h"

#include <cctype>
#include <functional>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace valuepact::cclf {
namespace {

// Field tables restated from the CCLF Information Packet v38.0 (see docs/input-formats.md).
constexpr CclfField kCCLF1Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"PRVDR_OSCAR_NUM", 14, 6, CclfFieldType::kText},
    {"BENE_MBI_ID", 20, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 31, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 42, 2, CclfFieldType::kNumber},
    {"CLM_FROM_DT", 44, 10, CclfFieldType::kDate},
    {"CLM_THRU_DT", 54, 10, CclfFieldType::kDate},
    {"CLM_BILL_FAC_TYPE_CD", 64, 1, CclfFieldType::kText},
    {"CLM_BILL_CLSFCTN_CD", 65, 1, CclfFieldType::kText},
    {"PRNCPL_DGNS_CD", 66, 7, CclfFieldType::kText},
    {"ADMTG_DGNS_CD", 73, 7, CclfFieldType::kText},
    {"CLM_MDCR_NPMT_RSN_CD", 80, 2, CclfFieldType::kText},
    {"CLM_PMT_AMT", 82, 17, CclfFieldType::kAmount},
    {"CLM_NCH_PRMRY_PYR_CD", 99, 1, CclfFieldType::kText},
    {"PRVDR_FAC_FIPS_ST_CD", 100, 2, CclfFieldType::kText},
    {"BENE_PTNT_STUS_CD", 102, 2, CclfFieldType::kText},
    {"DGNS_DRG_CD", 104, 4, CclfFieldType::kText},
    {"CLM_OP_SRVC_TYPE_CD", 108, 1, CclfFieldType::kText},
    {"FAC_PRVDR_NPI_NUM", 109, 10, CclfFieldType::kText},
    {"OPRTG_PRVDR_NPI_NUM", 119, 10, CclfFieldType::kText},
    {"ATNDG_PRVDR_NPI_NUM", 129, 10, CclfFieldType::kText},
    {"OTHR_PRVDR_NPI_NUM", 139, 10, CclfFieldType::kText},
    {"CLM_ADJSMT_TYPE_CD", 149, 2, CclfFieldType::kText},
    {"CLM_EFCTV_DT", 151, 10, CclfFieldType::kDate},
    {"CLM_IDR_LD_DT", 161, 10, CclfFieldType::kDate},
    {"BENE_EQTBL_BIC_HICN_NUM", 171, 11, CclfFieldType::kText},
    {"CLM_ADMSN_TYPE_CD", 182, 2, CclfFieldType::kText},
    {"CLM_ADMSN_SRC_CD", 184, 2, CclfFieldType::kText},
    {"CLM_BILL_FREQ_CD", 186, 1, CclfFieldType::kText},
    {"CLM_QUERY_CD", 187, 1, CclfFieldType::kText},
    {"DGNS_PRCDR_ICD_IND", 188, 1, CclfFieldType::kText},
    {"CLM_MDCR_INSTNL_TOT_CHRG_AMT", 189, 15, CclfFieldType::kAmount},
    {"CLM_MDCR_IP_PPS_CPTL_IME_AMT", 204, 15, CclfFieldType::kAmount},
    {"CLM_OPRTNL_IME_AMT", 219, 22, CclfFieldType::kAmount},
    {"CLM_MDCR_IP_PPS_DSPRPRTNT_AMT", 241, 15, CclfFieldType::kAmount},
    {"CLM_HIPPS_UNCOMPD_CARE_AMT", 256, 15, CclfFieldType::kAmount},
    {"CLM_OPRTNL_DSPRPRTNT_AMT", 271, 22, CclfFieldType::kAmount},
    {"CLM_BLG_PRVDR_OSCAR_NUM", 293, 20, CclfFieldType::kText},
    {"CLM_BLG_PRVDR_NPI_NUM", 313, 10, CclfFieldType::kText},
    {"CLM_OPRTG_PRVDR_NPI_NUM", 323, 10, CclfFieldType::kText},
    {"CLM_ATNDG_PRVDR_NPI_NUM", 333, 10, CclfFieldType::kText},
    {"CLM_OTHR_PRVDR_NPI_NUM", 343, 10, CclfFieldType::kText},
    {"CLM_CNTL_NUM", 353, 40, CclfFieldType::kText},
    {"CLM_ORG_CNTL_NUM", 393, 40, CclfFieldType::kText},
    {"CLM_CNTRCTR_NUM", 433, 5, CclfFieldType::kText},
};
constexpr CclfField kCCLF2Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"CLM_LINE_NUM", 14, 10, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 24, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 35, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 46, 2, CclfFieldType::kNumber},
    {"CLM_LINE_FROM_DT", 48, 10, CclfFieldType::kDate},
    {"CLM_LINE_THRU_DT", 58, 10, CclfFieldType::kDate},
    {"CLM_LINE_PROD_REV_CTR_CD", 68, 4, CclfFieldType::kText},
    {"CLM_LINE_INSTNL_REV_CTR_DT", 72, 10, CclfFieldType::kDate},
    {"CLM_LINE_HCPCS_CD", 82, 5, CclfFieldType::kText},
    {"BENE_EQTBL_BIC_HICN_NUM", 87, 11, CclfFieldType::kText},
    {"PRVDR_OSCAR_NUM", 98, 6, CclfFieldType::kText},
    {"CLM_FROM_DT", 104, 10, CclfFieldType::kDate},
    {"CLM_THRU_DT", 114, 10, CclfFieldType::kDate},
    {"CLM_LINE_SRVC_UNIT_QTY", 124, 24, CclfFieldType::kNumber},
    {"CLM_LINE_CVRD_PD_AMT", 148, 17, CclfFieldType::kAmount},
    {"HCPCS_1_MDFR_CD", 165, 2, CclfFieldType::kText},
    {"HCPCS_2_MDFR_CD", 167, 2, CclfFieldType::kText},
    {"HCPCS_3_MDFR_CD", 169, 2, CclfFieldType::kText},
    {"HCPCS_4_MDFR_CD", 171, 2, CclfFieldType::kText},
    {"HCPCS_5_MDFR_CD", 173, 2, CclfFieldType::kText},
    {"CLM_REV_APC_HIPPS_CD", 175, 5, CclfFieldType::kText},
    {"CLM_FAC_PRVDR_OSCAR_NUM", 180, 20, CclfFieldType::kText},
};
constexpr CclfField kCCLF3Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 14, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 25, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 36, 2, CclfFieldType::kNumber},
    {"CLM_VAL_SQNC_NUM", 38, 2, CclfFieldType::kNumber},
    {"CLM_PRCDR_CD", 40, 7, CclfFieldType::kText},
    {"CLM_PRCDR_PRFRM_DT", 47, 10, CclfFieldType::kDate},
    {"BENE_EQTBL_BIC_HICN_NUM", 57, 11, CclfFieldType::kText},
    {"PRVDR_OSCAR_NUM", 68, 6, CclfFieldType::kText},
    {"CLM_FROM_DT", 74, 10, CclfFieldType::kDate},
    {"CLM_THRU_DT", 84, 10, CclfFieldType::kDate},
    {"DGNS_PRCDR_ICD_IND", 94, 1, CclfFieldType::kText},
    {"CLM_BLG_PRVDR_OSCAR_NUM", 95, 20, CclfFieldType::kText},
};
constexpr CclfField kCCLF4Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 14, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 25, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 36, 2, CclfFieldType::kNumber},
    {"CLM_PROD_TYPE_CD", 38, 1, CclfFieldType::kText},
    {"CLM_VAL_SQNC_NUM", 39, 2, CclfFieldType::kNumber},
    {"CLM_DGNS_CD", 41, 7, CclfFieldType::kText},
    {"BENE_EQTBL_BIC_HICN_NUM", 48, 11, CclfFieldType::kText},
    {"PRVDR_OSCAR_NUM", 59, 6, CclfFieldType::kText},
    {"CLM_FROM_DT", 65, 10, CclfFieldType::kDate},
    {"CLM_THRU_DT", 75, 10, CclfFieldType::kDate},
    {"CLM_POA_IND", 85, 7, CclfFieldType::kText},
    {"DGNS_PRCDR_ICD_IND", 92, 1, CclfFieldType::kText},
    {"CLM_BLG_PRVDR_OSCAR_NUM", 93, 20, CclfFieldType::kText},
};
constexpr CclfField kCCLF5Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"CLM_LINE_NUM", 14, 10, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 24, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 35, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 46, 2, CclfFieldType::kNumber},
    {"CLM_FROM_DT", 48, 10, CclfFieldType::kDate},
    {"CLM_THRU_DT", 58, 10, CclfFieldType::kDate},
    {"RNDRG_PRVDR_TYPE_CD", 68, 3, CclfFieldType::kText},
    {"RNDRG_PRVDR_FIPS_ST_CD", 71, 2, CclfFieldType::kText},
    {"CLM_PRVDR_SPCLTY_CD", 73, 2, CclfFieldType::kText},
    {"CLM_FED_TYPE_SRVC_CD", 75, 1, CclfFieldType::kText},
    {"CLM_POS_CD", 76, 2, CclfFieldType::kText},
    {"CLM_LINE_FROM_DT", 78, 10, CclfFieldType::kDate},
    {"CLM_LINE_THRU_DT", 88, 10, CclfFieldType::kDate},
    {"CLM_LINE_HCPCS_CD", 98, 5, CclfFieldType::kText},
    {"CLM_LINE_CVRD_PD_AMT", 103, 15, CclfFieldType::kAmount},
    {"CLM_LINE_PRMRY_PYR_CD", 118, 1, CclfFieldType::kText},
    {"CLM_LINE_DGNS_CD", 119, 7, CclfFieldType::kText},
    {"CLM_RNDRG_PRVDR_TAX_NUM", 126, 10, CclfFieldType::kText},
    {"RNDRG_PRVDR_NPI_NUM", 136, 10, CclfFieldType::kText},
    {"CLM_CARR_PMT_DNL_CD", 146, 2, CclfFieldType::kText},
    {"CLM_PRCSG_IND_CD", 148, 2, CclfFieldType::kText},
    {"CLM_ADJSMT_TYPE_CD", 150, 2, CclfFieldType::kText},
    {"CLM_EFCTV_DT", 152, 10, CclfFieldType::kDate},
    {"CLM_IDR_LD_DT", 162, 10, CclfFieldType::kDate},
    {"CLM_CNTL_NUM", 172, 40, CclfFieldType::kText},
    {"BENE_EQTBL_BIC_HICN_NUM", 212, 11, CclfFieldType::kText},
    {"CLM_LINE_ALOWD_CHRG_AMT", 223, 17, CclfFieldType::kAmount},
    {"CLM_LINE_SRVC_UNIT_QTY", 240, 24, CclfFieldType::kNumber},
    {"HCPCS_1_MDFR_CD", 264, 2, CclfFieldType::kText},
    {"HCPCS_2_MDFR_CD", 266, 2, CclfFieldType::kText},
    {"HCPCS_3_MDFR_CD", 268, 2, CclfFieldType::kText},
    {"HCPCS_4_MDFR_CD", 270, 2, CclfFieldType::kText},
    {"HCPCS_5_MDFR_CD", 272, 2, CclfFieldType::kText},
    {"CLM_DISP_CD", 274, 2, CclfFieldType::kText},
    {"CLM_DGNS_1_CD", 276, 7, CclfFieldType::kText},
    {"CLM_DGNS_2_CD", 283, 7, CclfFieldType::kText},
    {"CLM_DGNS_3_CD", 290, 7, CclfFieldType::kText},
    {"CLM_DGNS_4_CD", 297, 7, CclfFieldType::kText},
    {"CLM_DGNS_5_CD", 304, 7, CclfFieldType::kText},
    {"CLM_DGNS_6_CD", 311, 7, CclfFieldType::kText},
    {"CLM_DGNS_7_CD", 318, 7, CclfFieldType::kText},
    {"CLM_DGNS_8_CD", 325, 7, CclfFieldType::kText},
    {"DGNS_PRCDR_ICD_IND", 332, 1, CclfFieldType::kText},
    {"CLM_DGNS_9_CD", 333, 7, CclfFieldType::kText},
    {"CLM_DGNS_10_CD", 340, 7, CclfFieldType::kText},
    {"CLM_DGNS_11_CD", 347, 7, CclfFieldType::kText},
    {"CLM_DGNS_12_CD", 354, 7, CclfFieldType::kText},
    {"HCPCS_BETOS_CD", 361, 3, CclfFieldType::kText},
    {"CLM_RNDRG_PRVDR_NPI_NUM", 364, 10, CclfFieldType::kText},
    {"CLM_RFRG_PRVDR_NPI_NUM", 374, 10, CclfFieldType::kText},
    {"CLM_CNTRCTR_NUM", 384, 5, CclfFieldType::kText},
};
constexpr CclfField kCCLF6Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"CLM_LINE_NUM", 14, 10, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 24, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 35, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 46, 2, CclfFieldType::kNumber},
    {"CLM_FROM_DT", 48, 10, CclfFieldType::kDate},
    {"CLM_THRU_DT", 58, 10, CclfFieldType::kDate},
    {"CLM_FED_TYPE_SRVC_CD", 68, 1, CclfFieldType::kText},
    {"CLM_POS_CD", 69, 2, CclfFieldType::kText},
    {"CLM_LINE_FROM_DT", 71, 10, CclfFieldType::kDate},
    {"CLM_LINE_THRU_DT", 81, 10, CclfFieldType::kDate},
    {"CLM_LINE_HCPCS_CD", 91, 5, CclfFieldType::kText},
    {"CLM_LINE_CVRD_PD_AMT", 96, 15, CclfFieldType::kAmount},
    {"CLM_PRMRY_PYR_CD", 111, 1, CclfFieldType::kText},
    {"PAYTO_PRVDR_NPI_NUM", 112, 10, CclfFieldType::kText},
    {"ORDRG_PRVDR_NPI_NUM", 122, 10, CclfFieldType::kText},
    {"CLM_CARR_PMT_DNL_CD", 132, 2, CclfFieldType::kText},
    {"CLM_PRCSG_IND_CD", 134, 2, CclfFieldType::kText},
    {"CLM_ADJSMT_TYPE_CD", 136, 2, CclfFieldType::kText},
    {"CLM_EFCTV_DT", 138, 10, CclfFieldType::kDate},
    {"CLM_IDR_LD_DT", 148, 10, CclfFieldType::kDate},
    {"CLM_CNTL_NUM", 158, 40, CclfFieldType::kText},
    {"BENE_EQTBL_BIC_HICN_NUM", 198, 11, CclfFieldType::kText},
    {"CLM_LINE_ALOWD_CHRG_AMT", 209, 17, CclfFieldType::kAmount},
    {"CLM_DISP_CD", 226, 2, CclfFieldType::kText},
    {"CLM_BLG_PRVDR_NPI_NUM", 228, 10, CclfFieldType::kText},
    {"CLM_RFRG_PRVDR_NPI_NUM", 238, 10, CclfFieldType::kText},
};
constexpr CclfField kCCLF7Fields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 14, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 25, 11, CclfFieldType::kText},
    {"CLM_LINE_NDC_CD", 36, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 47, 2, CclfFieldType::kNumber},
    {"CLM_LINE_FROM_DT", 49, 10, CclfFieldType::kDate},
    {"PRVDR_SRVC_ID_QLFYR_CD", 59, 2, CclfFieldType::kText},
    {"CLM_SRVC_PRVDR_GNRC_ID_NUM", 61, 20, CclfFieldType::kText},
    {"CLM_DSPNSNG_STUS_CD", 81, 1, CclfFieldType::kText},
    {"CLM_DAW_PROD_SLCTN_CD", 82, 1, CclfFieldType::kText},
    {"CLM_LINE_SRVC_UNIT_QTY", 83, 24, CclfFieldType::kNumber},
    {"CLM_LINE_DAYS_SUPLY_QTY", 107, 9, CclfFieldType::kNumber},
    {"PRVDR_PRSBNG_ID_QLFYR_CD", 116, 2, CclfFieldType::kText},
    {"CLM_PRSBNG_PRVDR_GNRC_ID_NUM", 118, 20, CclfFieldType::kText},
    {"CLM_LINE_BENE_PMT_AMT", 138, 13, CclfFieldType::kAmount},
    {"CLM_ADJSMT_TYPE_CD", 151, 2, CclfFieldType::kText},
    {"CLM_EFCTV_DT", 153, 10, CclfFieldType::kDate},
    {"CLM_IDR_LD_DT", 163, 10, CclfFieldType::kDate},
    {"CLM_LINE_RX_SRVC_RFRNC_NUM", 173, 12, CclfFieldType::kNumber},
    {"CLM_LINE_RX_FILL_NUM", 185, 9, CclfFieldType::kText},
    {"CLM_PHRMCY_SRVC_TYPE_CD", 194, 2, CclfFieldType::kText},
};
constexpr CclfField kCCLF8Fields[] = {
    {"BENE_MBI_ID", 1, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 12, 11, CclfFieldType::kText},
    {"BENE_FIPS_STATE_CD", 23, 2, CclfFieldType::kNumber},
    {"BENE_FIPS_CNTY_CD", 25, 3, CclfFieldType::kNumber},
    {"BENE_ZIP_CD", 28, 5, CclfFieldType::kText},
    {"BENE_DOB", 33, 10, CclfFieldType::kDate},
    {"BENE_SEX_CD", 43, 1, CclfFieldType::kText},
    {"BENE_RACE_CD", 44, 1, CclfFieldType::kText},
    {"BENE_AGE", 45, 3, CclfFieldType::kNumber},
    {"BENE_MDCR_STUS_CD", 48, 2, CclfFieldType::kText},
    {"BENE_DUAL_STUS_CD", 50, 2, CclfFieldType::kText},
    {"BENE_DEATH_DT", 52, 10, CclfFieldType::kDate},
    {"BENE_RNG_BGN_DT", 62, 10, CclfFieldType::kDate},
    {"BENE_RNG_END_DT", 72, 10, CclfFieldType::kDate},
    {"BENE_1ST_NAME", 82, 30, CclfFieldType::kText},
    {"BENE_MIDL_NAME", 112, 15, CclfFieldType::kText},
    {"BENE_LAST_NAME", 127, 40, CclfFieldType::kText},
    {"BENE_ORGNL_ENTLMT_RSN_CD", 167, 1, CclfFieldType::kText},
    {"BENE_ENTLMT_BUYIN_IND", 168, 1, CclfFieldType::kText},
    {"BENE_PART_A_ENRLMT_BGN_DT", 169, 10, CclfFieldType::kDate},
    {"BENE_PART_B_ENRLMT_BGN_DT", 179, 10, CclfFieldType::kDate},
    {"BENE_LINE_1_ADR", 189, 45, CclfFieldType::kText},
    {"BENE_LINE_2_ADR", 234, 45, CclfFieldType::kText},
    {"BENE_LINE_3_ADR", 279, 40, CclfFieldType::kText},
    {"BENE_LINE_4_ADR", 319, 40, CclfFieldType::kText},
    {"BENE_LINE_5_ADR", 359, 40, CclfFieldType::kText},
    {"BENE_LINE_6_ADR", 399, 40, CclfFieldType::kText},
    {"GEO_ZIP_PLC_NAME", 439, 100, CclfFieldType::kText},
    {"GEO_USPS_STATE_CD", 539, 2, CclfFieldType::kText},
    {"GEO_ZIP5_CD", 541, 5, CclfFieldType::kText},
    {"GEO_ZIP4_CD", 546, 4, CclfFieldType::kText},
};
constexpr CclfField kCCLF9Fields[] = {
    {"HICN_MBI_XREF_IND", 1, 1, CclfFieldType::kText},
    {"CRNT_NUM", 2, 11, CclfFieldType::kText},
    {"PRVS_NUM", 13, 11, CclfFieldType::kText},
    {"PRVS_ID_EFCTV_DT", 24, 10, CclfFieldType::kDate},
    {"PRVS_ID_OBSLT_DT", 34, 10, CclfFieldType::kDate},
    {"BENE_RRB_NUM", 44, 12, CclfFieldType::kText},
};
constexpr CclfField kCCLFAFields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 14, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 25, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 36, 2, CclfFieldType::kNumber},
    {"CLM_ACTV_CARE_FROM_DT", 38, 10, CclfFieldType::kDate},
    {"CLM_NGACO_PBPMT_SW", 48, 1, CclfFieldType::kText},
    {"CLM_NGACO_PDSCHRG_HCBS_SW", 49, 1, CclfFieldType::kText},
    {"CLM_NGACO_SNF_WVR_SW", 50, 1, CclfFieldType::kText},
    {"CLM_NGACO_TLHLTH_SW", 51, 1, CclfFieldType::kText},
    {"CLM_NGACO_CPTATN_SW", 52, 1, CclfFieldType::kText},
    {"CLM_DEMO_1ST_NUM", 53, 2, CclfFieldType::kText},
    {"CLM_DEMO_2ND_NUM", 55, 2, CclfFieldType::kText},
    {"CLM_DEMO_3RD_NUM", 57, 2, CclfFieldType::kText},
    {"CLM_DEMO_4TH_NUM", 59, 2, CclfFieldType::kText},
    {"CLM_DEMO_5TH_NUM", 61, 2, CclfFieldType::kText},
    {"CLM_PBP_INCLSN_AMT", 63, 19, CclfFieldType::kAmount},
    {"CLM_PBP_RDCTN_AMT", 82, 19, CclfFieldType::kAmount},
    {"CLM_NGACO_CMG_WVR_SW", 101, 1, CclfFieldType::kText},
    {"CLM_INSTNL_PER_DIEM_AMT", 102, 19, CclfFieldType::kAmount},
    {"CLM_MDCR_IP_BENE_DDCTBL_AMT", 121, 15, CclfFieldType::kAmount},
    {"CLM_MDCR_COINSRNC_AMT", 136, 19, CclfFieldType::kAmount},
    {"CLM_BLOOD_LBLTY_AMT", 155, 15, CclfFieldType::kAmount},
    {"CLM_INSTNL_PRFNL_AMT", 170, 15, CclfFieldType::kAmount},
    {"CLM_NCVRD_CHRG_AMT", 185, 19, CclfFieldType::kAmount},
    {"CLM_MDCR_DDCTBL_AMT", 204, 19, CclfFieldType::kAmount},
    {"CLM_RLT_COND_CD", 223, 2, CclfFieldType::kText},
    {"CLM_OPRTNL_OUTLR_AMT", 225, 19, CclfFieldType::kAmount},
    {"CLM_MDCR_NEW_TECH_AMT", 244, 19, CclfFieldType::kAmount},
    {"CLM_ISLET_ISOLN_AMT", 263, 19, CclfFieldType::kAmount},
    {"CLM_SQSTRTN_RDCTN_AMT", 282, 19, CclfFieldType::kAmount},
    {"CLM_1_REV_CNTR_ANSI_RSN_CD", 301, 3, CclfFieldType::kText},
    {"CLM_1_REV_CNTR_ANSI_GRP_CD", 304, 2, CclfFieldType::kText},
    {"CLM_MIPS_PMT_AMT", 306, 19, CclfFieldType::kAmount},
};
constexpr CclfField kCCLFBFields[] = {
    {"CUR_CLM_UNIQ_ID", 1, 13, CclfFieldType::kNumber},
    {"CLM_LINE_NUM", 14, 10, CclfFieldType::kNumber},
    {"BENE_MBI_ID", 24, 11, CclfFieldType::kText},
    {"BENE_HIC_NUM", 35, 11, CclfFieldType::kText},
    {"CLM_TYPE_CD", 46, 2, CclfFieldType::kNumber},
    {"CLM_LINE_NGACO_PBPMT_SW", 48, 1, CclfFieldType::kText},
    {"CLM_LINE_NGACO_PDSCHRG_HCBS_SW", 49, 1, CclfFieldType::kText},
    {"CLM_LINE_NGACO_SNF_WVR_SW", 50, 1, CclfFieldType::kText},
    {"CLM_LINE_NGACO_TLHLTH_SW", 51, 1, CclfFieldType::kText},
    {"CLM_LINE_NGACO_CPTATN_SW", 52, 1, CclfFieldType::kText},
    {"CLM_DEMO_1ST_NUM", 53, 2, CclfFieldType::kText},
    {"CLM_DEMO_2ND_NUM", 55, 2, CclfFieldType::kText},
    {"CLM_DEMO_3RD_NUM", 57, 2, CclfFieldType::kText},
    {"CLM_DEMO_4TH_NUM", 59, 2, CclfFieldType::kText},
    {"CLM_DEMO_5TH_NUM", 61, 2, CclfFieldType::kText},
    {"CLM_PBP_INCLSN_AMT", 63, 15, CclfFieldType::kAmount},
    {"CLM_PBP_RDCTN_AMT", 78, 15, CclfFieldType::kAmount},
    {"CLM_NGACO_CMG_WVR_SW", 93, 1, CclfFieldType::kText},
    {"CLM_MDCR_DDCTBL_AMT", 94, 19, CclfFieldType::kAmount},
    {"CLM_SQSTRTN_RDCTN_AMT", 113, 15, CclfFieldType::kAmount},
    {"CLM_LINE_CARR_HPSA_SCRCTY_CD", 128, 1, CclfFieldType::kText},
};

constexpr CclfLayout kLayouts[] = {
    {'1', "CCLF1", "Part A Claims Header File", 437, 292, kCCLF1Fields},
    {'2', "CCLF2", "Part A Claims Revenue Center Detail File", 199, 179, kCCLF2Fields},
    {'3', "CCLF3", "Part A Procedure Code File", 114, 94, kCCLF3Fields},
    {'4', "CCLF4", "Part A Diagnosis Code File", 112, 92, kCCLF4Fields},
    {'5', "CCLF5", "Part B Physicians File", 388, 363, kCCLF5Fields},
    {'6', "CCLF6", "Part B DME File", 247, 227, kCCLF6Fields},
    {'7', "CCLF7", "Part D File", 195, 195, kCCLF7Fields},
    {'8', "CCLF8", "Beneficiary Demographics File", 549, 549, kCCLF8Fields},
    {'9', "CCLF9", "BENE XREF File", 55, 55, kCCLF9Fields},
    {'A', "CCLFA", "Part A BE and Demo Codes File", 324, 101, kCCLFAFields},
    {'B', "CCLFB", "Part B BE and Demo Codes File", 128, 93, kCCLFBFields},
};

}  // namespace

const CclfField* CclfLayout::Find(std::string_view name) const {
  // The readers look fields up by name on every call: the built-in layouts answer from an
  // index built once instead of comparing the name with each of up to 90 fields.
  using Index = std::unordered_map<std::string_view, const CclfField*>;
  static const std::vector<Index> kIndex = [] {
    std::vector<Index> v;
    for (const auto& l : kLayouts) {
      Index& ix = v.emplace_back();
      for (const auto& f : l.fields) ix.emplace(f.name, &f);  // the first of a name wins
    }
    return v;
  }();
  const std::less<const CclfLayout*> before;
  if (!before(this, std::begin(kLayouts)) && before(this, std::end(kLayouts))) {
    const Index& ix = kIndex[static_cast<size_t>(this - std::begin(kLayouts))];
    const auto it = ix.find(name);
    return it == ix.end() ? nullptr : it->second;
  }
  for (const auto& f : fields) {
    if (name == f.name) return &f;
  }
  return nullptr;
}

const CclfLayout* CclfLayoutFor(char file_type) {
  const char t = static_cast<char>(std::toupper(static_cast<unsigned char>(file_type)));
  for (const auto& l : kLayouts) {
    if (l.file_type == t) return &l;
  }
  return nullptr;
}

std::span<const CclfLayout> AllCclfLayouts() { return kLayouts; }

}  // namespace valuepact::cclf
